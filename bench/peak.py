"""`python -m bench.peak OUT -- CMD...`: run CMD and write its wall time and peak memory to OUT.

Why a wrapper: a child's `ru_maxrss` starts from the peak of the process that forked it (the
kernel carries the old address space's high-water mark across exec), so a benchmark driver
holding a big tree or schema in memory would be charged to every tool it times. This small
process forks instead; CMD's figure is its own (and that of its waited-for children, such
as a replay's child process). The time is taken here too, so this wrapper's own start-up is
not in it. OUT gets `{"seconds": ..., "peak_mb": ..., "cpu": ..., "returncode": ...}` (cpu:
user + system seconds of CMD and its children); CMD's standard streams are this process's.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time


def main() -> int:
    out, separator, *cmd = sys.argv[1:]
    if separator != "--" or not cmd:
        raise SystemExit("usage: python -m bench.peak OUT -- CMD...")
    start = time.perf_counter()
    child = subprocess.Popen(cmd)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    with open(out, "w", encoding="utf-8") as handle:
        cpu = usage.ru_utime + usage.ru_stime  # CMD and the children it waited for
        json.dump({"seconds": seconds, "peak_mb": usage.ru_maxrss // 1024, "cpu": cpu, "returncode": code}, handle)
    return code


def measured(cmd: list[str], cwd: str | os.PathLike[str] | None = None) -> tuple[float, int, str]:
    """Run `cmd` through this wrapper: (seconds, peak MB, standard output). Fails loudly."""
    seconds, peak, out, _ = measured_cpu(cmd, cwd)
    return seconds, peak, out


def measured_cpu(
    cmd: list[str], cwd: str | os.PathLike[str] | None = None, ok_codes: tuple[int, ...] = (0,)
) -> tuple[float, int, str, float]:
    """`measured`, and the CPU seconds CMD used (its children's included). `ok_codes`: the
    exit codes that mean CMD did its work (migra exits 2 when it found differences)."""
    with tempfile.NamedTemporaryFile(suffix=".json") as report:
        done = subprocess.run(
            [sys.executable, "-m", "bench.peak", report.name, "--", *cmd],
            cwd=cwd,
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [_ROOT, os.environ.get("PYTHONPATH")]))},
        )
        if done.returncode not in ok_codes:
            raise SystemExit(f"{cmd[:4]} failed: {done.stderr.strip().splitlines()[-3:]}")
        with open(report.name, encoding="utf-8") as handle:
            result = json.load(handle)
    return float(result["seconds"]), int(result["peak_mb"]), done.stdout, float(result["cpu"])


_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

if __name__ == "__main__":
    sys.exit(main())
