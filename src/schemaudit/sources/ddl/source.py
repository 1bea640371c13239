"""Source `ddl:schema.sql?dialect=postgresql` (or a bare `schema.sql`): a DDL file.

The file is split into statements (`split`) and read in its dialect:
- PostgreSQL and MySQL: CREATE TABLE / INDEX / TYPE / DOMAIN / SEQUENCE, ALTER TABLE
  (ADD COLUMN / CONSTRAINT, ALTER COLUMN, ATTACH PARTITION, ...), COMMENT ON, parsed with
  sqlglot and tokens into the model exactly as docs/CONVENTIONS.md says a live database
  fills it (`statements`), so a file and the database built from it compare equal;
- SQLite: the statements run in a scratch in-memory database that is then read like a live
  file (`sqlite`).

Views, functions, triggers and the like are read as objects when a server is given
(`--scratch-url`): the file also runs there and the server prints them (`server`). Without
one, a PostgreSQL file's functions, triggers, sequences, enum types and extensions are read
from the text (`text_objects`), and views and the rest are listed as not audited. A statement that cannot
be read is an error naming its line (exit 2), unless `lenient` (`?lenient=1`, `--lenient`):
then it is skipped and listed as an unreadable statement, so the report still shows it.
The dialect comes from `?dialect=`, else from the options, else from unmistakable marks in
the text (backticks, `[brackets]`, `::` casts...); a file without any is an error asking
for it, since `INT` or an unquoted `Name` mean different things in each dialect.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from urllib.parse import parse_qsl

from schemaudit.errors import SourceError
from schemaudit.model import Schema, SchemaObject
from schemaudit.sources import LoadOptions
from schemaudit.sources.ddl import statements
from schemaudit.sources.ddl.catalog import Catalog, Problem
from schemaudit.sources.ddl.mysql_comments import Server, run_executable_comments, server_for
from schemaudit.sources.ddl.split import Statement, split_statements

DIALECTS = {
    "postgresql": "postgresql",
    "postgres": "postgresql",
    "pg": "postgresql",
    "mysql": "mysql",
    "mariadb": "mysql",
    "sqlite": "sqlite",
    "sqlite3": "sqlite",
}
_TRUE = frozenset({"1", "true", "yes", "on"})
# Marks only one dialect's DDL has; the dialect with most kinds of them wins. They are looked
# for in the lower-cased head of the file, outside strings and comments (data that follows
# the DDL in a dump adds nothing and would cost time).
_MARKS = {
    "postgresql": (r"::\w", r"\$\$", r"(?m)^\s*\\c(?:onnect)?\b", r"\bserial\b", r"\bjsonb\b", r"\btimestamptz\b",
                   r"\bowner to\b", r"\bcreate extension\b", r"\bsearch_path\b"),
    "mysql": (r"`", r"\bengine\s*=", r"\bauto_increment\b", r"\bunsigned\b", r"\bcharset\b"),
    "sqlite": (r"\[[a-z_][^\]\n]*\]", r"\bautoincrement\b", r"\bpragma\b", r"\bwithout rowid\b"),
}  # fmt: skip
_COMPILED = {d: tuple(re.compile(m) for m in marks) for d, marks in _MARKS.items()}
_LITERALS = re.compile(r"'[^'\\]*(?:(?:''|\\.)[^'\\]*)*'|--[^\n]*|/\*.*?\*/", re.DOTALL)  # strings and comments
_SNIFF = 262_144  # characters of the file looked at


def load(spec: str, options: LoadOptions) -> Schema:
    path, params = parse_spec(spec)
    text = read_text(path, "DDL file")
    given = params.get("dialect") or options.dialect
    dialect = _dialect(given, text, path)
    lenient = options.lenient or params.get("lenient", "").lower() in _TRUE
    server = None
    if dialect == "mysql":
        server = server_for("mariadb" if (given or "").lower() == "mariadb" else "mysql", params.get("version"))
        text = run_executable_comments(text, server)
    schema = read_ddl(
        text,
        dialect,
        path,
        lenient,
        params.get("schema") or options.schema,
        server,
        objects_from_text=not options.scratch_url,
    )
    if dialect in ("postgresql", "mysql") and options.scratch_url:
        from schemaudit.sources.ddl.server import with_server_objects

        schema = with_server_objects(schema, split_statements(text, dialect), path, options)
    return schema


def parse_spec(spec: str) -> tuple[str, dict[str, str]]:
    """`ddl:path?k=v&...` (or a bare path) -> (path, parameters)."""
    body = spec[4:] if spec.lower().startswith("ddl:") else spec
    path, _, query = body.partition("?")
    if not path:
        raise SourceError(f"{spec!r} names no file; write ddl:path/to/schema.sql")
    return path, dict(parse_qsl(query, keep_blank_values=True))


def read_text(path: str, what: str) -> str:
    """A text file's contents, or one clear error line."""
    file = Path(path)
    try:
        return file.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise SourceError(f"{what} not found: {path}") from None
    except IsADirectoryError:
        raise SourceError(f"{what} {path} is a directory, not a file") from None
    except UnicodeDecodeError as exc:
        raise SourceError(f"{what} {path} is not UTF-8 text (byte {exc.start}: {exc.reason})") from None
    except OSError as exc:
        raise SourceError(f"cannot read {what} {path}: {exc.strerror or exc}") from None


def _dialect(given: str | None, text: str, path: str) -> str:
    if given:
        dialect = DIALECTS.get(given.lower())
        if dialect is None:
            raise SourceError(f"unknown dialect {given!r} for {path}; use one of postgresql, mysql, sqlite")
        return dialect
    code = _LITERALS.sub(" ", text[:_SNIFF]).lower()
    scores = {d: sum(1 for mark in marks if mark.search(code)) for d, marks in _COMPILED.items()}
    best = max(scores.values())
    winners = [d for d, score in scores.items() if score == best]
    if best == 0 or len(winners) > 1:
        raise SourceError(
            f"cannot tell which SQL dialect {path} is written in; say it: ddl:{path}?dialect=postgresql "
            "(or mysql, sqlite)"
        )
    return winners[0]


def read_ddl(
    text: str,
    dialect: str,
    path: str,
    lenient: bool = False,
    schema: str | None = None,
    server: Server | None = None,
    objects_from_text: bool = False,
) -> Schema:
    """The schema a DDL text defines (`path` is only for origins and messages). With
    `objects_from_text`, a PostgreSQL file's functions, triggers, sequences, enum types and
    extensions are read from the text (`text_objects`), for when no server prints them."""
    found, too_long = _bounded(split_statements(text, dialect))
    if dialect == "sqlite":
        from schemaudit.sources.ddl import sqlite as ddl_sqlite

        result, problems = ddl_sqlite.build(found, path)
    else:
        catalog = Catalog(path, dialect, schema or ("public" if dialect == "postgresql" else None))
        for statement in found:
            if server is not None and _SOURCE.match(statement.text):
                _source(statement, path, catalog, server, 0)
            else:
                statements.apply(statement, catalog)
        result, problems = catalog.finish(path), catalog.problems
        if objects_from_text and dialect == "postgresql":
            from schemaudit.sources.ddl.text_objects import with_text_objects

            result = with_text_objects(result, catalog)
    problems = sorted([*too_long, *problems], key=lambda p: p.line)
    if problems and not lenient:
        raise SourceError(_problems_message(problems, path))
    if not result.tables and not problems:
        raise SourceError(f"{path} defines no tables (no CREATE TABLE was found)")
    if problems:
        unread = tuple(
            SchemaObject("unreadable statement", f"{path}:{p.line}: {p.statement} ({p.reason})") for p in problems
        )
        objects = sorted(result.not_audited + unread, key=lambda o: (o.kind, o.name, o.table or ""))
        result = replace(result, not_audited=tuple(objects))
    return result


_SOURCE = re.compile(r"(?is)^(?:source|\\\.)\s+(\S.*?)\s*$")

# The longest definition read (characters). A schema's CREATE or ALTER is kilobytes; one of
# megabytes is a literal holding data (a 4 MB DEFAULT), and reading it would take the parser
# hundreds of MB and minutes. Data statements (INSERT, COPY...) are skipped unread, at any size.
MAX_STATEMENT = 1 << 20
_DEFINITIONS = ("CREATE", "ALTER", "COMMENT", "DROP", "RENAME")


def _bounded(found: list[Statement]) -> tuple[list[Statement], list[Problem]]:
    """The statements to read, and a problem for each definition over MAX_STATEMENT."""
    kept: list[Statement] = []
    too_long: list[Problem] = []
    for statement in found:
        if len(statement.text) > MAX_STATEMENT and statement.head(1)[:1] and statement.head(1)[0] in _DEFINITIONS:
            size = len(statement.text) / (1 << 20)
            first = " ".join(statement.text[:200].split())[:80]
            too_long.append(Problem(statement.line, first, f"{size:.1f} MB long; definitions are read up to 1 MB"))
        else:
            kept.append(statement)
    return kept, too_long


def _source(statement: Statement, path: str, catalog: Catalog, server: Server, depth: int) -> None:
    """The MySQL client's `source file` (`\\. file`): the file's statements run in place, found
    beside the including file; a missing one is a problem like any unreadable statement."""
    match = _SOURCE.match(statement.text)
    assert match is not None
    included = Path(path).parent / match.group(1).strip("'\"")
    try:
        text = included.read_text(encoding="utf-8-sig")
    except OSError as exc:
        catalog.problems.append(Problem(statement.line, statement.text[:80], exc.strerror or str(exc)))
        return
    for inner in split_statements(run_executable_comments(text, server), "mysql"):
        if _SOURCE.match(inner.text) and depth < 8:
            _source(inner, str(included), catalog, server, depth + 1)
        else:
            statements.apply(inner, catalog)


def _problems_message(problems: list[Problem], path: str) -> str:
    first = problems[0].describe(path)
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    return f"{first}{more}; fix the file, or pass --lenient to skip unreadable statements"
