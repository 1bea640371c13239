"""Progress on stderr for the slow parts of a command (replaying migrations, reading a big
schema, searching a big tree), so a person at a terminal sees it move and stdout carries
nothing but the report.

Shown only when stderr is a terminal and the user did not ask for `--quiet`: in CI logs and
pipes there is nothing to redraw, and a captured log full of spinner frames helps nobody.
The display redraws itself several times a second (the spinner and the elapsed time move
during a 15-second Alembic replay, which otherwise looks hung), and each step shows what it
has counted so far: revisions replayed, tables read, files searched. The code that does the
work reports its counts with `count()`, which does nothing when no display is shown; the
code search starts its worker processes from a fork server, so the refresh thread is never
forked.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import TYPE_CHECKING, Protocol, TextIO

from schemaudit.errors import mask_secrets
from schemaudit.terminal import raw, visible_line

if TYPE_CHECKING:
    from rich.progress import TaskID

REFRESHES_PER_SECOND = 8


class Steps(Protocol):
    def step(self, label: str) -> AbstractContextManager[None]: ...

    def files(self, done: int, total: int) -> None: ...


class _Silent:
    @contextmanager
    def step(self, label: str) -> Iterator[None]:
        yield

    def files(self, done: int, total: int) -> None:
        return None


class _Rich:
    def __init__(self, stream: TextIO, color: bool) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self.console = Console(file=stream, no_color=not color, highlight=False)
        self.progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.fields[counted]}"),
            TimeElapsedColumn(),
            console=self.console,
            transient=True,
            auto_refresh=True,
            refresh_per_second=REFRESHES_PER_SECOND,
        )
        self.task: TaskID | None = None

    @contextmanager
    def step(self, label: str) -> Iterator[None]:
        task = self.progress.add_task(visible_line(mask_secrets(label)), total=None, counted="")
        self.task = task
        self.progress.refresh()
        try:
            yield
        finally:
            self.progress.remove_task(task)
            self.task = None

    def count(self, done: int, total: int | None, unit: str) -> None:
        task = self.task
        if task is not None:
            counted = f"{done}/{total} {unit}" if total is not None else f"{done} {unit}"
            self.progress.update(task, completed=done, total=total, counted=counted)

    def files(self, done: int, total: int) -> None:
        self.count(done, total, "files searched")


_ACTIVE: list[_Rich] = []  # the display being shown, if any
_LOCK = threading.Lock()


def count(done: int, total: int | None, unit: str) -> None:
    """Report how far the current step is (`3/13 revisions replayed`, `1200/5000 tables
    read`); nothing happens when no display is shown. Safe from any thread."""
    with _LOCK:
        shown = _ACTIVE[-1] if _ACTIVE else None
    if shown is not None:
        shown.count(done, total, unit)


@contextmanager
def progress(quiet: bool, color: bool = True, stream: TextIO | None = None) -> Iterator[Steps]:
    """Steps that draw on stderr when it is a terminal and not `quiet`, else do nothing."""
    stream = raw(stream if stream is not None else sys.stderr)  # the display draws with escape sequences
    if quiet or not stream.isatty():
        yield _Silent()
        return
    shown = _Rich(stream, color)
    with shown.progress:
        with _LOCK:
            _ACTIVE.append(shown)
        try:
            yield shown
        finally:
            with _LOCK:
                _ACTIVE.remove(shown)
