"""Source `python:scripts/backend.py:init_schema`: the schema a Python function creates.

Many projects have no schema file, only a function that runs CREATE TABLE statements on
start-up. We run that function in a child process (`child`), with a timeout, on a
fresh SQLite file in a temporary directory, then read the file with the live SQLite
source. The user's code never touches a real database: it is handed the scratch database
(a `sqlite3.Connection` with `sqlite3.Row` rows, a path, or an SQLAlchemy engine, as its
signature asks), and while it runs any other SQLite file is refused. Its own output is
discarded; a failure to import (a missing module is named), a raised exception (with the
line) or a timeout is one clear error.

Each table, column added later (`ALTER TABLE ... ADD COLUMN`) and index keeps the line of
the user's file that created it, so findings cite `scripts/backend.py:212`.

`?timeout=SECONDS` changes the time limit (default 30 s).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from contextlib import closing
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import schemaudit
from schemaudit.errors import SourceError
from schemaudit.model import Schema
from schemaudit.sources import LoadOptions
from schemaudit.sources.ddl.split import Statement
from schemaudit.sources.ddl.sqlite import StatementOrigins
from schemaudit.sources.live.sqlite import open_read_only, read_schema
from schemaudit.sources.process import run_isolated

DEFAULT_TIMEOUT = 30.0


def load(spec: str, options: LoadOptions) -> Schema:
    file, function, params = parse_spec(spec)
    timeout = _timeout(params.get("timeout"), spec) if "timeout" in params else options.timeout or DEFAULT_TIMEOUT
    if not Path(file).is_file():
        what = "is a directory" if Path(file).is_dir() else "does not exist"
        raise SourceError(f"Python file {file} {what} (in {spec!r})")
    with tempfile.TemporaryDirectory(prefix="schemaudit-python-") as scratch:
        database = os.path.join(scratch, "scratch.db")
        result_file = os.path.join(scratch, "result.json")
        outcome = _run_child(file, function, database, result_file, timeout)
        if not os.path.exists(database):
            raise SourceError(f"{function}() in {file} created no database (it wrote nothing to the one it was given)")
        with closing(open_read_only(database)) as conn:
            schema = read_schema(conn, origin=spec)
    if not schema.tables:
        raise SourceError(f"{function}() in {file} created no tables")
    return _with_origins(schema, file, outcome.get("origins", []))


def parse_spec(spec: str) -> tuple[str, str, dict[str, str]]:
    """`python:path/file.py:function?timeout=10` -> (path, function, parameters)."""
    body = spec[7:] if spec.lower().startswith("python:") else spec
    body, _, query = body.partition("?")
    file, sep, function = body.rpartition(":")
    if not sep or not file or not all(part.isidentifier() for part in function.split(".")):
        raise SourceError(f"{spec!r} should name a file and a function: python:path/to/file.py:function")
    return file, function, dict(parse_qsl(query, keep_blank_values=True))


def _timeout(text: str | None, spec: str) -> float:
    if text is None:
        return DEFAULT_TIMEOUT
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0:
        raise SourceError(f"timeout must be a positive number of seconds, not {text!r} (in {spec!r})")
    return value


def _run_child(file: str, function: str, database: str, result_file: str, timeout: float) -> dict[str, Any]:
    env = dict(os.environ)
    env["PYTHONDONTWRITEBYTECODE"] = "1"  # importing the user's file leaves no __pycache__ behind
    package_root = str(Path(schemaudit.__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH", "")) if p)
    command = [sys.executable, "-m", "schemaudit.sources.python.child", file, function, database, result_file]
    proc = run_isolated(command, "", timeout, env)
    if proc.timed_out:
        raise SourceError(
            f"{function}() in {file} did not finish within {timeout:g} s (it was stopped); "
            "a slower one can be given more time with ?timeout=SECONDS or --timeout SECONDS"
        )
    try:
        outcome: dict[str, Any] = json.loads(Path(result_file).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        detail = _last_line(proc.stderr.encode()) or f"exit status {proc.returncode}"
        raise SourceError(f"running {function}() from {file} failed: {detail}") from None
    if not outcome.get("ok"):
        raise SourceError(str(outcome.get("message") or "the function failed"))
    return outcome


def _last_line(output: bytes) -> str:
    lines = [line.strip() for line in output.decode("utf-8", "replace").splitlines() if line.strip()]
    return lines[-1] if lines else ""


def _with_origins(schema: Schema, file: str, statements: list[list[Any]]) -> Schema:
    """Attach the lines that created each table, column and index (first creation wins)."""
    origins = StatementOrigins()
    for text, line, exact in statements:
        origins.note(Statement(str(text), int(line)), exact=bool(exact))
    return replace(schema, tables=tuple(origins.apply(t, file) for t in schema.tables))
