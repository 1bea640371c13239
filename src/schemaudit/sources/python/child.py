"""The child process behind the `python:` source: import a file, call one function on a
scratch SQLite database, report where each table, column and index was created.

Run as `python -m schemaudit.sources.python.child FILE FUNCTION DATABASE RESULT`. The
result is written as JSON to the RESULT file, never to stdout, which belongs to the user's
code (it may print). Everything here runs in a throw-away process: the parent only reads
the database file and the result afterwards.

What the function is given is decided by its first parameter (annotation first, then name):
- a `sqlite3.Connection` whose rows work by index and by name (`sqlite3.Row`: schema code
  often reads `PRAGMA table_info` rows by column name);
- a path (`str` / `pathlib.Path`, or a parameter named like `path`, `db_path`, `filename`);
- an SQLAlchemy `Engine` (annotation, or a parameter named `engine`).
While it runs, `sqlite3.connect` refuses any database but the scratch one: the function can
never touch a real database file, whatever paths its module holds.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import json
import os
import re
import sqlite3
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

# a column added by a statement built at run time: its name, then its definition
_ADDED_COLUMN = re.compile(
    r'ALTER\s+TABLE\s+\S+\s+ADD\s+(?:COLUMN\s+)?["`\[]?(\w+)["`\]]?\s*(.*)', re.IGNORECASE | re.DOTALL
)

_PATH_NAMES = frozenset({"path", "db_path", "database_path", "filename", "db_file", "database_file", "file", "dbfile"})
_CONNECTION_NAMES = frozenset({"conn", "connection", "con", "db", "cx", "cnx", "database", "sqlite"})
_ENGINE_NAMES = frozenset({"engine", "sa_engine", "db_engine"})


class RunnerError(Exception):
    """A failure to report to the parent: `kind` says which step failed."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


def main(argv: list[str]) -> int:
    file, function, database, result = argv
    origins = _Origins(file)
    try:
        _guard_connections(database, origins)  # before the import: module code runs on import too
        module = _import(file)
        target: Any = module
        for part in function.split("."):
            target = getattr(target, part, None)
        if not callable(target):
            raise RunnerError("function", f"{file} has no function {function!r}")
        _call(target, function, database)
        outcome: dict[str, Any] = {"ok": True, "origins": origins.found}
    except RunnerError as exc:
        outcome = {"ok": False, "kind": exc.kind, "message": str(exc)}
    Path(result).write_text(json.dumps(outcome), encoding="utf-8")
    return 0


def _import(file: str) -> ModuleType:
    """Import the file as a module (not as __main__: its `if __name__ == "__main__"` block
    must not run), with its own directory first on sys.path, as `python FILE` would have."""
    path = Path(file).resolve()
    sys.path.insert(0, str(path.parent))
    spec = importlib.util.spec_from_file_location(f"_schemaudit_target_{path.stem}", path)
    if spec is None or spec.loader is None:
        raise RunnerError("import", f"cannot import {file}: not a Python file")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
    except ModuleNotFoundError as exc:
        raise RunnerError(
            "import", f"cannot import {file}: it needs module {exc.name!r}, which is not installed here"
        ) from None
    except RunnerError as exc:
        raise RunnerError("import", f"importing {file}: {exc}") from None
    except BaseException as exc:  # anything the user's module does on import
        raise RunnerError("import", f"cannot import {file}: {_describe(exc, file)}") from None
    return module


def _call(target: Callable[..., Any], name: str, database: str) -> None:
    kind = _argument_kind(target, name)
    try:
        if kind == "connection":
            conn = sqlite3.connect(database)
            conn.row_factory = sqlite3.Row
            try:
                target(conn)
                conn.commit()
            finally:
                conn.close()
        elif kind == "path":
            target(database)
        else:
            engine = _engine(database)
            try:
                target(engine)
            finally:
                engine.dispose()
    except RunnerError:
        raise
    except BaseException as exc:  # whatever the user's function raises
        raise RunnerError("call", f"{name}() raised {_describe(exc, None)}") from None


def _argument_kind(target: Callable[..., Any], name: str) -> str:
    """What the first parameter asks for: "connection", "path" or "engine"."""
    try:
        signature = inspect.signature(target)
    except (TypeError, ValueError):
        return "connection"
    params = [p for p in signature.parameters.values() if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
    if not params:
        raise RunnerError(
            "signature",
            f"{name}() takes no parameters, so it cannot be given the scratch database; schemaudit passes "
            "a sqlite3.Connection, a database path or an SQLAlchemy engine as the first argument",
        )
    required = [p for p in params[1:] if p.default is p.empty and p.kind is not p.KEYWORD_ONLY]
    required += [p for p in params if p.kind is p.KEYWORD_ONLY and p.default is p.empty]
    if required:
        names = ", ".join(p.name for p in required)
        raise RunnerError("signature", f"{name}() also requires {names}; schemaudit passes only the database")
    first = params[0]
    annotation = first.annotation
    text = annotation if isinstance(annotation, str) else getattr(annotation, "__name__", str(annotation))
    text = str(text)
    if "Engine" in text:
        return "engine"
    if "Connection" in text or "Cursor" in text:
        return "connection"
    if annotation in (str, Path, os.PathLike) or text in ("str", "Path", "pathlib.Path", "PathLike", "os.PathLike"):
        return "path"
    lowered = first.name.lower()
    if lowered in _ENGINE_NAMES:
        return "engine"
    if lowered in _PATH_NAMES or lowered.endswith(("_path", "_file")):
        return "path"
    return "connection"


def _engine(database: str) -> Any:
    try:
        from sqlalchemy import create_engine
    except ImportError:
        raise RunnerError(
            "signature", "the function asks for an SQLAlchemy engine, but SQLAlchemy is not installed"
        ) from None
    return create_engine(f"sqlite:///{database}")


def _describe(exc: BaseException, file: str | None) -> str:
    """`Type: message (at file.py:123)`, the line being the deepest frame in user code."""
    message = " ".join(str(exc).split()) or type(exc).__name__
    text = f"{type(exc).__name__}: {message}" if str(exc) else type(exc).__name__
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if not f.filename.startswith(_HERE)]
    if file is not None:
        frames = [f for f in frames if Path(f.filename).resolve() == Path(file).resolve()] or frames
    if frames:
        last = frames[-1]
        text += f" (at {_shown(last.filename)}:{last.lineno})"
    return text


_HERE = str(Path(__file__).resolve().parent)


def _shown(filename: str) -> str:
    try:
        return os.path.relpath(filename)
    except ValueError:
        return filename


class _Origins:
    """The schema statements SQLite runs (a trace callback), each with the line of the
    user's file it comes from: the line where its text is written when that text appears
    once in the file (a CREATE TABLE in a string constant), else the line of the call that
    ran it (`exact` false: a statement built at run time)."""

    _DDL = ("CREATE", "ALTER")

    def __init__(self, file: str) -> None:
        self.file = str(Path(file).resolve())
        try:
            self.source = Path(file).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            self.source = []
        self.found: list[list[Any]] = []

    def trace(self, statement: str) -> None:
        text = statement.strip()
        if not text.upper().startswith(self._DDL):
            return
        first = text.splitlines()[0].strip()
        hits = [i for i, line in enumerate(self.source, 1) if first and first in line]
        if len(hits) == 1:
            self.found.append([text, hits[0], True])
            return
        added = _ADDED_COLUMN.match(text)
        line = self._entry_line(added.group(1), added.group(2).strip()) if added else None
        line = line or self._call_line(added.group(1) if added else None)
        if line is not None:
            self.found.append([text, line, False])

    def _entry_line(self, column: str, definition: str) -> int | None:
        """The one line where the column's name is written as a string next to its
        definition (`("attempts", "INTEGER NOT NULL DEFAULT 0")` in a list a helper walks):
        what the user edits to change it."""
        quoted = (f'"{column}"', f"'{column}'")
        hits = [i for i, line in enumerate(self.source, 1) if any(q in line for q in quoted) and definition in line]
        return hits[0] if len(hits) == 1 else None

    def _call_line(self, column: str | None) -> int | None:
        """The line of the user's file that ran the statement; when that line is inside a
        helper given the column's name (`ensure_column(conn, table, column, ...)`), the
        line that called the helper."""
        frame = sys._getframe(1)
        while frame is not None and frame.f_code.co_filename != self.file:
            frame = frame.f_back  # type: ignore[assignment]
        if frame is None:
            return None
        while column is not None and frame.f_back is not None and frame.f_back.f_code.co_filename == self.file:
            arguments = frame.f_code.co_varnames[: frame.f_code.co_argcount]
            if not any(frame.f_locals.get(a) == column for a in arguments):
                break
            frame = frame.f_back
        return frame.f_lineno


def _guard_connections(database: str, origins: _Origins) -> None:
    """Replace sqlite3.connect for the rest of this process: the scratch database (or an
    in-memory one) only, each connection traced for origins."""
    real_connect = sqlite3.connect
    allowed = os.path.realpath(database)

    def guarded(target: Any, *args: Any, **kwargs: Any) -> sqlite3.Connection:
        text = os.fspath(target) if isinstance(target, (str, bytes, os.PathLike)) else str(target)
        text = text.decode() if isinstance(text, bytes) else text
        plain = text.split("?", 1)[0].removeprefix("file:") if kwargs.get("uri") else text
        if plain not in (":memory:", "") and os.path.realpath(plain) != allowed and "mode=memory" not in text:
            raise RunnerError(
                "call",
                f"the code under audit tried to open the SQLite database {text!r}; while auditing, only the "
                "scratch database it was given may be used",
            )
        conn: sqlite3.Connection = real_connect(target, *args, **kwargs)
        conn.set_trace_callback(origins.trace)
        return conn

    sqlite3.connect = guarded  # type: ignore[assignment]


if __name__ == "__main__":
    sys.dont_write_bytecode = True
    sys.exit(main(sys.argv[1:]))
