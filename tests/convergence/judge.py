"""The independent judge: is the migrated database the one the target DDL builds?

It never asks schemaudit. Each database describes itself:

- PostgreSQL: `pg_dump --schema-only` of the schema, normalized (comments, SET lines, owners,
  the schema qualifier and blank lines removed), cut into statements; and the database's
  extensions (name, schema, version, comment), which `pg_dump -n` leaves out;
- MariaDB/MySQL: `SHOW CREATE TABLE` of every table (the `AUTO_INCREMENT=N` counter removed),
  and `SHOW CREATE` of every view, trigger, function, procedure and event with the sql_mode
  (and an event's time zone)
  it was created under (the `DEFINER=` account and the database's own name removed: they
  say who built it and where, not what it is);
- SQLite: the pragmas (`table_xinfo`, `index_list`/`index_xinfo`, `foreign_key_list`, `table_list`)
  plus the CHECK clauses and partial-index WHERE clauses from `sqlite_master`.

What a dialect cannot express is normalized away, and only that (docs/CONVERGENCE.md):
column order (no database here reorders columns in place, so columns are compared as a set
on all three); on SQLite a column's declared type counts by its affinity outside STRICT
tables (SQLite enforces neither `VARCHAR(n)` nor the spelling); schemaudit's own bookkeeping
table is left out; on SQLite a UNIQUE constraint and a unique index over the same plain
columns are one thing (SQLite adds a UNIQUE constraint to an existing table only by
rebuilding it; schemaudit creates the unique index instead, which enforces the same); and a
rowid alias (`INTEGER PRIMARY KEY`) cannot hold NULL whether or not it is declared NOT NULL.

Rows are judged by value: per table, a checksum of the sorted rows over the columns both
sides have (renames followed), values canonicalized so an intended conversion (`'5'` to `5`,
`1.50` to `1.5`) is the same value and anything else is not.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import re
import subprocess
from collections.abc import Iterable, Mapping
from typing import Any

BOOKKEEPING = "schemaudit_migrations"
Fingerprint = dict[str, str]  # object -> normalized description


def diff(migrated: Fingerprint, built: Fingerprint) -> list[str]:
    """What differs, one line per object (empty: the catalogs agree)."""
    out = []
    for name in sorted(set(migrated) | set(built)):
        a, b = migrated.get(name), built.get(name)
        if a != b:
            out.append(f"{name}: migrated {a or '(missing)'} | target {b or '(missing)'}")
    return out


# ---- PostgreSQL ------------------------------------------------------------------------------

_PG_SKIP = re.compile(r"^(SET |SELECT pg_catalog\.set_config|--|\\|ALTER .* OWNER TO |COMMENT ON EXTENSION )")


def postgresql(dsn: str, schema: str) -> Fingerprint:
    """`pg_dump -s -n schema`, normalized and keyed by statement head."""
    dumped = subprocess.run(
        ["pg_dump", "--schema-only", "--no-owner", "--no-privileges", "-n", schema, dsn],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    text = "\n".join(line for line in dumped.splitlines() if line.strip() and not _PG_SKIP.match(line))
    for qualifier in (f'"{schema}".', f"{schema}."):
        text = text.replace(qualifier, "")
    out: Fingerprint = {}
    for statement in (s.strip().rstrip(";").rstrip() for s in text.split(";\n")):
        if not statement or statement.startswith(("CREATE SCHEMA", "ALTER SCHEMA")):
            continue
        if BOOKKEEPING in statement.split("(")[0]:
            continue
        key, body = _pg_statement(statement)
        out[key] = body if key not in out else out[key] + " ;; " + body
    out.update(_pg_extensions(dsn, schema))
    return out


_EXTENSIONS = (
    "SELECT e.extname, n.nspname, e.extversion, coalesce(obj_description(e.oid, 'pg_extension'), '') "
    "FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace ORDER BY 1"
)


def _pg_extensions(dsn: str, schema: str) -> Fingerprint:
    """Every extension of the database, with its schema (the dumped one called by no name, as
    the dump's qualifier is removed), version and comment."""
    listed = subprocess.run(
        ["psql", "-X", "-A", "-t", "-F", "\x1f", "-d", dsn, "-c", _EXTENSIONS],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    out: Fingerprint = {}
    for line in listed.splitlines():
        name, where, version, comment = line.split("\x1f")
        where = "(dumped schema)" if where == schema else where
        out[f"EXTENSION {name}"] = f"schema {where}, version {version}, comment {comment!r}"
    return out


def _pg_statement(statement: str) -> tuple[str, str]:
    flat = " ".join(statement.split())
    if flat.startswith("CREATE TABLE"):
        head, _, rest = flat.partition(" (")
        close = _closing(rest)  # the column list's own parenthesis (a `PARTITION BY (...)` follows)
        body, tail = rest[:close], rest[close + 1 :]
        items = sorted(i.strip() for i in _split_items(body))  # column order is not compared
        return head, f"({', '.join(items)}){tail}"
    if flat.startswith("ALTER TABLE") and " ADD CONSTRAINT " in flat:
        name = flat.split(" ADD CONSTRAINT ", 1)[1].split(" ", 1)[0]
        return f"CONSTRAINT {name}", flat
    words = flat.split(" ")
    return " ".join(words[:4]), flat


def _closing(text: str) -> int:
    """Where the parenthesis opened just before `text` closes (outside string literals)."""
    depth, quoted = 1, False
    for i, ch in enumerate(text):
        if ch == "'":
            quoted = not quoted
        elif not quoted and ch == "(":
            depth += 1
        elif not quoted and ch == ")":
            depth -= 1
            if depth == 0:
                return i
    return len(text)


def _split_items(body: str) -> list[str]:
    items, depth, buf = [], 0, []
    for ch in body:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            items.append("".join(buf))
            buf = []
        else:
            buf.append(ch)
    if "".join(buf).strip():
        items.append("".join(buf))
    return items


# ---- MariaDB / MySQL -----------------------------------------------------------------------


def mysql(cursor: Any, database: str) -> Fingerprint:
    cursor.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = %s AND table_type = 'BASE TABLE'",
        (database,),
    )
    out: Fingerprint = {}
    for (name,) in sorted(cursor.fetchall()):
        if name == BOOKKEEPING:
            continue
        cursor.execute(f"SHOW CREATE TABLE `{database}`.`{name.replace('`', '``')}`")
        text = cursor.fetchone()[1]
        lines = text.splitlines()
        inner = sorted(line.strip().rstrip(",") for line in lines[1:-1])  # column order is not compared
        tail = re.sub(r" AUTO_INCREMENT=\d+", "", lines[-1])
        out[f"table {name}"] = " | ".join([*inner, tail])
    out.update(_mysql_objects(cursor, database))
    return out


_DEFINER = re.compile(r" DEFINER=(`[^`]*`|'[^']*'|[^\s@]+)@(`[^`]*`|'[^']*'|\S+)")


def _mysql_objects(cursor: Any, database: str) -> Fingerprint:
    """Views, triggers, routines and events: their SHOW CREATE text (and sql_mode)."""
    db = "`" + database.replace("`", "``") + "`"
    routines = "SELECT routine_name FROM information_schema.routines WHERE routine_schema = %s AND routine_type = "
    queries = [
        ("view", "SELECT table_name FROM information_schema.views WHERE table_schema = %s", "VIEW", 1, None),
        ("trigger", "SELECT trigger_name FROM information_schema.triggers WHERE trigger_schema = %s", "TRIGGER", 2, 1),
        (
            "function",
            routines + "'FUNCTION'",
            "FUNCTION",
            2,
            1,
        ),
        (
            "procedure",
            routines + "'PROCEDURE'",
            "PROCEDURE",
            2,
            1,
        ),
        ("event", "SELECT event_name FROM information_schema.events WHERE event_schema = %s", "EVENT", 3, 1),
    ]
    out: Fingerprint = {}
    for kind, listing, word, text_at, mode_at in queries:
        cursor.execute(listing, (database,))
        for (name,) in sorted(cursor.fetchall()):
            cursor.execute(f"SHOW CREATE {word} {db}.`{name.replace('`', '``')}`")
            row = cursor.fetchone()
            text = _DEFINER.sub("", str(row[text_at])).replace(f"{db}.", "")
            mode = f" | sql_mode={row[mode_at]}" if mode_at is not None else ""
            mode += f" | time_zone={row[2]}" if word == "EVENT" else ""  # the zone its STARTS is read in
            out[f"{kind} {name}"] = " ".join(text.split()) + mode
    return out


# ---- SQLite ---------------------------------------------------------------------------------

_CHECK = re.compile(r"\bCHECK\s*\(", re.IGNORECASE)


def sqlite(conn: Any) -> Fingerprint:
    out: Fingerprint = {}
    strict = {r[1]: (r[4], r[5]) for r in conn.execute("PRAGMA table_list") if r[0] == "main"}
    tables = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    ).fetchall()
    for name, sql in tables:
        if name == BOOKKEEPING:
            continue
        q = '"' + name.replace('"', '""') + '"'
        is_strict = bool(strict.get(name, (0, 0))[1])
        info = conn.execute(f"PRAGMA table_xinfo({q})").fetchall()
        rowid = not strict.get(name, (0, 0))[0] and sum(1 for r in info if r[5]) == 1
        columns = sorted(
            (
                r[1].lower(),
                r[2] if is_strict else _affinity(r[2]),
                # a rowid alias (INTEGER PRIMARY KEY) never holds NULL, declared NOT NULL or not
                1 if rowid and r[5] and r[2].upper() == "INTEGER" else r[3],
                _spaces(r[4]),
                r[5],
                r[6],
            )
            for r in info
        )
        fks = sorted(
            (r[2].lower(), r[3].lower(), (r[4] or "").lower(), r[5], r[6])
            for r in conn.execute(f"PRAGMA foreign_key_list({q})")
        )
        indexes = []
        for r in conn.execute(f"PRAGMA index_list({q})"):
            qi = '"' + r[1].replace('"', '""') + '"'
            cols = [(c[2], c[3], c[4]) for c in conn.execute(f"PRAGMA index_xinfo({qi})") if c[5]]
            where = _where(conn, r[1]) if r[4] else None
            if r[2] and not r[4] and r[3] in ("c", "u"):  # a UNIQUE constraint or a plain unique index
                indexes.append(("(unique)", 1, "u", tuple(cols), None))
            else:
                indexes.append((r[1] if r[3] == "c" else f"({r[3]})", r[2], r[3], tuple(cols), where))
        out[f"table {name}"] = repr(
            {
                "columns": columns,
                "foreign keys": fks,
                "indexes": sorted(indexes, key=repr),
                "checks": sorted(_checks(sql or "")),
                "strict, without rowid": strict.get(name),
            }
        )
    return out


def _affinity(declared: str) -> str:
    """SQLite's own rule (datatype3.html 3.1) from a declared type to its affinity."""
    t = declared.upper()
    if "INT" in t:
        return "INTEGER"
    if any(s in t for s in ("CHAR", "CLOB", "TEXT")):
        return "TEXT"
    if "BLOB" in t or not t:
        return "BLOB"
    if any(s in t for s in ("REAL", "FLOA", "DOUB")):
        return "REAL"
    return "NUMERIC"


def _spaces(text: str | None) -> str | None:
    return None if text is None else " ".join(text.split())


def _where(conn: Any, index: str) -> str | None:
    row = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?", (index,)).fetchone()
    if not row or not row[0]:
        return None
    match = re.search(r"\bWHERE\b(.*)$", row[0], re.IGNORECASE | re.DOTALL)
    return _spaces(match.group(1).replace('"', "")) if match else None


def _checks(sql: str) -> list[str]:
    """The bodies of the CHECK clauses, whitespace and quoting normalized."""
    out = []
    for match in _CHECK.finditer(sql):
        depth, start = 1, match.end()
        i = start
        while i < len(sql) and depth:
            depth += {"(": 1, ")": -1}.get(sql[i], 0)
            i += 1
        out.append(" ".join(sql[start : i - 1].replace('"', "").split()).lower())
    return out


# ---- row values -----------------------------------------------------------------------------


def canonical(value: object) -> str:
    """One spelling per value across drivers and the conversions a plan intends."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (int, float, decimal.Decimal)):
        number = decimal.Decimal(str(value)).normalize()
        return format(number, "f").rstrip("0").rstrip(".") if "." in format(number, "f") else format(number, "f")
    if isinstance(value, (list, tuple)):  # an array, as PostgreSQL spells one it has no loader for
        return "{" + ",".join(canonical(v) for v in value) + "}"
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    if isinstance(value, dt.datetime) and value.tzinfo is not None:  # timestamp -> timestamptz: the
        return value.astimezone(dt.timezone.utc).replace(tzinfo=None).isoformat()  # session zone is UTC
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    text = str(value)
    try:
        return canonical(decimal.Decimal(text.strip())) if text.strip() else text
    except decimal.InvalidOperation:
        return text


def checksums(
    rows: Mapping[str, tuple[list[str], list[tuple[Any, ...]]]], keep: Mapping[str, Iterable[str]]
) -> dict[str, str]:
    """Per table, a checksum of its sorted rows over the columns `keep` names (in that order)."""
    out = {}
    for table, columns in keep.items():
        names, data = rows[table]
        at = [names.index(c) for c in columns]
        lines = sorted("\x1f".join(canonical(r[i]) for i in at) for r in data)
        out[table] = hashlib.sha256("\x1e".join(lines).encode()).hexdigest()[:16] + f" ({len(lines)} rows)"
    return out
