"""Running user code in a child process that cannot outlive us or hold us up.

- The child runs in a process group of its own; whatever it forks (a daemon, a worker pool)
  is in that group, and the whole group is killed when the child finishes, times out, or
  when schemaudit itself is interrupted (SIGINT, SIGTERM): no orphan keeps running.
- Its stdout and stderr go to files, not pipes: a grandchild that inherits them cannot make
  us wait until it exits (a pipe stays open as long as any process holds it).
- The answer comes back in a result file the child names; the request goes in on stdin.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

_LIVE: set[int] = set()  # process group ids of running children
_LOCK = threading.Lock()


@dataclass(frozen=True, slots=True)
class Finished:
    returncode: int
    stderr: str
    timed_out: bool


def run_isolated(
    command: list[str], stdin: str, timeout: float, env: dict[str, str], on_wait: Callable[[], None] | None = None
) -> Finished:
    """Run `command` in its own process group with `stdin`; wait at most `timeout` seconds,
    calling `on_wait` every tenth of a second meanwhile (to show the child's progress)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, tempfile.TemporaryFile() as given:
        given.write(stdin.encode("utf-8"))
        given.seek(0)
        proc = subprocess.Popen(command, stdin=given, stdout=out, stderr=err, env=env, start_new_session=True)
        with _LOCK:
            _LIVE.add(proc.pid)
        timed_out = False
        try:
            timed_out = _wait(proc, timeout, on_wait)
        finally:
            _kill_group(proc.pid)  # the child's leftovers, or the child itself on timeout/interrupt
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=5)
            with _LOCK:
                _LIVE.discard(proc.pid)
        err.seek(0)
        text = err.read().decode("utf-8", "replace")
    return Finished(proc.returncode if proc.returncode is not None else -9, text, timed_out)


def _wait(proc: subprocess.Popen[bytes], timeout: float, on_wait: Callable[[], None] | None) -> bool:
    """Whether `proc` ran out of time."""
    if on_wait is None:
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return True
        return False
    deadline = time.monotonic() + timeout
    while True:
        try:
            proc.wait(timeout=max(0.0, min(0.1, deadline - time.monotonic())))
            on_wait()
            return False
        except subprocess.TimeoutExpired:
            if time.monotonic() >= deadline:
                return True
            on_wait()


def _kill_group(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)


def kill_children() -> None:
    """Kill every running child's process group (on an interrupt, before unwinding)."""
    with _LOCK:
        groups = list(_LIVE)
    for pgid in groups:
        _kill_group(pgid)
