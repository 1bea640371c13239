"""Run a user's Python code (models, migrations) in a child process, and get JSON back.

Importing a project's models or running its migrations executes arbitrary code: module-level
side effects, `sys.exit()`, a segfault in a C extension, an endless loop. None of that may
take schemaudit down or leave a traceback, so the work happens in a fresh interpreter:

- the parent sends the request as JSON on stdin (never in argv, where `ps` shows passwords);
- the child writes `{"ok": true, "data": ...}` or `{"ok": false, "error": "one line"}` to a
  result file the parent named (stdout belongs to the user's `print` calls);
- a child that dies without a result (crash, `os._exit`, timeout) becomes one clear line
  built from its exit code and the last line of its stderr.

The child does not write bytecode (`PYTHONDONTWRITEBYTECODE`): auditing a project leaves no
`__pycache__` folders behind in it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import tempfile
import traceback
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path
from types import TracebackType
from typing import Any

from schemaudit.errors import SchemauditError, SourceError, mask_secrets
from schemaudit.sources.process import run_isolated

TIMEOUT = 600.0  # seconds for one child run; a module constant so a test can shorten it
_PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])  # the directory holding `schemaudit`
_OWN_CODE = str(Path(__file__).resolve().parents[1]) + os.sep


def run_child(
    module: str,
    request: dict[str, Any],
    label: str,
    secrets: Iterable[str | None] = (),
    python: str | None = None,
    timeout: float | None = None,
    unit: str | None = None,
) -> Any:
    """Run `python -m module` with `request`; return its data or raise a one-line SourceError.

    `label` names the work in messages ("models:app.models"); `secrets` are masked in them.
    `python` is the project's interpreter (`--python`): the child imports the project's code
    with the project's SQLAlchemy and Alembic, and only needs schemaudit's own modules, which
    it finds on PYTHONPATH; None means schemaudit's interpreter.
    The child runs in its own process group (`process.run_isolated`): it and anything it
    started are killed when it ends, times out (`timeout`, default TIMEOUT) or we are stopped.
    With a `unit` ("revisions replayed"), what the child reports with `report_progress` is
    shown on the progress display while it runs.
    """
    executable = check_interpreter(python, label, needs_alembic=".alembic." in module) if python else sys.executable
    hidden = tuple(secrets)
    with tempfile.TemporaryDirectory(prefix="schemaudit-child-") as folder:
        result_path, progress_path = Path(folder) / "result.json", Path(folder) / "progress"
        payload = json.dumps({**request, "result_path": str(result_path), "progress_path": str(progress_path)})
        env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONIOENCODING": "utf-8"}
        env["PYTHONPATH"] = os.pathsep.join(p for p in (_PACKAGE_ROOT, env.get("PYTHONPATH")) if p)
        on_wait = _progress_reader(progress_path, unit) if unit else None
        done = run_isolated([executable, "-m", module], payload, timeout or TIMEOUT, env, on_wait)
        if done.timed_out:
            raise SourceError(
                f"{label}: gave up after {timeout or TIMEOUT:g} s (the child process did not finish; "
                "give it more time with --timeout SECONDS)"
            )
        try:
            result = json.loads(result_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise SourceError(mask_secrets(f"{label}: {_death(done.returncode, done.stderr)}", *hidden)) from None
    if not result.get("ok"):
        raise SourceError(mask_secrets(f"{label}: {result.get('error', 'failed')}", *hidden))
    return result.get("data")


def _progress_reader(path: Path, unit: str) -> Callable[[], None]:
    """Show the child's last `done total` line on the progress display."""
    from schemaudit.progress import count

    def read() -> None:
        try:
            done, total = path.read_text(encoding="utf-8").split()
            count(int(done), int(total), unit)
        except (OSError, ValueError):  # not written yet, or caught mid-write
            pass

    return read


def report_progress(request: dict[str, Any], done: int, total: int) -> None:
    """The child's side: say how far it is (`run_child` shows it while it waits)."""
    path = request.get("progress_path")
    if path:
        Path(path).write_text(f"{done} {total}\n", encoding="utf-8")


_PROBE = (
    "import json, sys\n"
    "out = {'python': list(sys.version_info[:2])}\n"
    "for name in ('sqlalchemy', 'alembic'):\n"
    "    try:\n"
    "        out[name] = __import__(name).__version__\n"
    "    except Exception:\n"
    "        out[name] = None\n"
    "print(json.dumps(out))\n"
)
_CHECKED: dict[tuple[str, bool], str] = {}


def check_interpreter(python: str, label: str, needs_alembic: bool) -> str:
    """The project's interpreter, checked once: Python >= 3.10, SQLAlchemy 1.4 or 2.x, and
    Alembic >= 1.7 for a replay. What cannot work is one line saying which version is needed."""
    key = (python, needs_alembic)
    if key in _CHECKED:
        return _CHECKED[key]
    try:
        done = subprocess.run([python, "-c", _PROBE], capture_output=True, text=True, timeout=60, check=False)
        found = json.loads(done.stdout.strip().splitlines()[-1])
    except (OSError, ValueError, IndexError, subprocess.TimeoutExpired):
        raise SourceError(f"{label}: --python {python} is not a Python interpreter that runs") from None
    major, minor = found["python"]
    if (major, minor) < (3, 10):
        raise SourceError(f"{label}: --python {python} is Python {major}.{minor}; the child needs Python >= 3.10")
    sa_version = found.get("sqlalchemy")
    if not sa_version:
        raise SourceError(f"{label}: --python {python} has no SQLAlchemy; install the project's dependencies there")
    if _version(sa_version) < (1, 4):
        raise SourceError(f"{label}: --python {python} has SQLAlchemy {sa_version}; SQLAlchemy >= 1.4 is needed")
    alembic_version = found.get("alembic")
    if needs_alembic and (not alembic_version or _version(alembic_version) < (1, 7)):
        have = f"Alembic {alembic_version}" if alembic_version else "no Alembic"
        raise SourceError(f"{label}: --python {python} has {have}; Alembic >= 1.7 is needed to replay migrations")
    _CHECKED[key] = python
    return python


def _version(text: str) -> tuple[int, ...]:
    parts = []
    for piece in text.split(".")[:2]:
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits or 0))
    return tuple(parts)


def _death(returncode: int, stderr: str) -> str:
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    last = f": {lines[-1]}" if lines else ""
    if returncode < 0:
        return f"the child process was killed by signal {-returncode}{last}"
    return f"the child process exited with code {returncode} without a result{last}"


def serve(handler: Callable[[dict[str, Any]], Any]) -> int:
    """The child's side: read the request, run `handler`, write the result file.

    A SchemauditError becomes its message; anything else (including SystemExit raised by
    user code) becomes one line naming the exception. Exit code 0 on success, 2 otherwise.
    """
    request = json.loads(sys.stdin.read())
    result_path = Path(request["result_path"])
    try:
        result: dict[str, Any] = {"ok": True, "data": handler(request)}
    except SchemauditError as exc:
        result = {"ok": False, "error": str(exc)}
    except BaseException as exc:  # user code may raise anything, even SystemExit
        frames = traceback.extract_tb(exc.__traceback__)
        where = f" (at {display_path(frames[-1].filename)}:{frames[-1].lineno})" if frames else ""
        result = {"ok": False, "error": f"internal error: {one_line(exc)}{where}"}
    result_path.write_text(json.dumps(result), encoding="utf-8")
    return 0 if result["ok"] else 2


def one_line(exc: BaseException) -> str:
    """`Type: first line of the message`, for exceptions raised by user code or drivers."""
    if isinstance(exc, SystemExit):
        return f"called sys.exit({exc.code!r})"
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


def display_path(path: str | os.PathLike[str]) -> str:
    """A file path as reports cite it: relative to the working directory when inside it
    (what a user clicks in a terminal or CI log), else absolute."""
    return _display_path(os.fspath(path), os.getcwd())


@lru_cache(maxsize=4096)
def _display_path(path: str, cwd: str) -> str:
    # cached: a large models package cites the same few files for every column
    resolved = Path(path).resolve()
    try:
        return resolved.relative_to(Path(cwd).resolve()).as_posix()
    except ValueError:
        return resolved.as_posix()


def user_frame(tb: TracebackType | None, roots: Iterable[str]) -> tuple[str, int, str] | None:
    """The deepest traceback frame in the user's code: (file, line, module name).

    User code is a file under one of `roots` (the import roots) or, failing that, any file
    that is not Python's own library, an installed package or schemaudit itself. None when
    the error never reached user code (the module itself was not found).
    """
    frames = [(f.filename, f.lineno or 0) for f in traceback.extract_tb(tb)]
    modules = []
    while tb is not None:
        modules.append(str(tb.tb_frame.f_globals.get("__name__", "")))
        tb = tb.tb_next
    resolved_roots = [str(Path(r).resolve()) + os.sep for r in roots]
    ours = [file for file, _ in frames if not file.startswith("<") and not file.startswith(_OWN_CODE)]
    candidates = [(file, line, mod) for (file, line), mod in zip(frames, modules, strict=True) if file in ours]
    for file, line, mod in reversed(candidates):
        if any(str(Path(file).resolve()).startswith(root) for root in resolved_roots):
            return file, line, mod
    library = _library_dirs()
    outside = [c for c in candidates if not str(Path(c[0]).resolve()).startswith(library)]
    return outside[-1] if outside else None


def _library_dirs() -> tuple[str, ...]:
    paths = sysconfig.get_paths()
    found = {
        str(Path(paths[k]).resolve()) + os.sep for k in ("stdlib", "platstdlib", "purelib", "platlib") if k in paths
    }
    return tuple(sorted(found))
