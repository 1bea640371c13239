"""MySQL/MariaDB views, triggers, functions, procedures and events as model objects.

The names come from the catalog rows the source already reads (TABLES, TRIGGERS, ROUTINES,
EVENTS, one query each for the whole database); each object's definition is the server's
own `SHOW CREATE ...` text, which is what comparing and recreating need: a view's query as
the server rewrote it (qualified, backquoted), a routine's or trigger's body as written.
All the SHOW CREATE statements go to the server in one round trip where the connection
takes several statements at once (the source's own does), so the round trips stay fixed;
a database without such objects costs no query at all.

Two things are taken out of the text because they name the place, not the object: the
`DEFINER=user@host` clause (the account that ran the DDL; a plan runs as its own user) and
the database's own name before its tables (`sakila`.`film`, as a view's query prints them
when read from another session), so the text recreates the object in any database.
The sql_mode a trigger, routine or event was created under is kept beside the text: it
decides how the body behaves (strict or not), so two bodies under different modes differ.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from schemaudit.model_objects import Event, Objects, Routine, Trigger, View

KINDS = ("view", "routine", "trigger", "event")
MULTI_STATEMENTS = 1 << 16  # the client flag (pymysql.constants.CLIENT.MULTI_STATEMENTS)
_DEFINER = re.compile(r"\s+DEFINER=(?:`(?:[^`]|``)*`|'[^']*'|[^\s@]+)@(?:`(?:[^`]|``)*`|'[^']*'|\S+)")
_BACKQUOTED = re.compile(r"`((?:[^`]|``)+)`")
_WORD = re.compile(r"(?<![\w$`])([A-Za-z_][\w$]*)(?![\w$`])")
_VIEW_OPTION = re.compile(r"^CREATE\s+ALGORITHM=(\w+)\s+SQL\s+SECURITY\s+(\w+)", re.IGNORECASE)
_CHECK_OPTION = re.compile(r"\bWITH\s+(CASCADED|LOCAL)\s+CHECK\s+OPTION\s*$", re.IGNORECASE)


def show_create(cur: Any, queries: Sequence[str]) -> list[tuple[Any, ...]]:
    """The first row of each SHOW CREATE query, in order: one round trip when the
    connection takes several statements at once, else one per query."""
    if not queries:
        return []
    out: list[tuple[Any, ...]] = []
    flags = getattr(getattr(cur, "connection", None), "client_flag", 0)
    if flags & MULTI_STATEMENTS:
        cur.execute(";\n".join(queries))
        while True:
            out.extend(cur.fetchall()[:1])
            if not cur.nextset():
                return out
    for query in queries:
        cur.execute(query)
        out.extend(cur.fetchall()[:1])
    return out


def read_objects(
    cur: Any,
    database: str,
    relations: Sequence[tuple[str, str]],
    triggers: Sequence[tuple[Any, ...]],
    routines: Sequence[tuple[Any, ...]],
    events: Sequence[tuple[Any, ...]],
) -> Objects:
    """`relations` are (name, TABLE_TYPE) rows of TABLES; `triggers` (name, table, timing,
    event) rows of TRIGGERS; `routines` (name, type) rows of ROUTINES; `events` (name,)."""
    db = _q(database)
    views = sorted(str(name) for name, kind in relations if kind == "VIEW")
    queries = [f"SHOW CREATE VIEW {db}.{_q(v)}" for v in views]
    queries += [f"SHOW CREATE TRIGGER {db}.{_q(str(t[0]))}" for t in triggers]
    queries += [f"SHOW CREATE {str(kind).upper()} {db}.{_q(str(name))}" for name, kind in routines]
    queries += [f"SHOW CREATE EVENT {db}.{_q(str(e[0]))}" for e in events]
    rows = iter(show_create(cur, queries))
    names = {str(name).lower(): str(name) for name, _ in relations}
    routine_names = {str(name).lower(): str(name) for name, _ in routines}
    out_views = [_view(name, clean(next(rows)[1], db), names) for name in views]
    out_triggers = [_trigger(t, next(rows), db) for t in triggers]
    out_routines = [_routine(str(name), str(kind), next(rows), db, routine_names) for name, kind in routines]
    out_events = []
    for name, *_ in events:
        row = next(rows)
        out_events.append(Event(str(name), clean(row[3], db), sql_mode=str(row[1]), time_zone=str(row[2])))
    return Objects(
        kinds=KINDS,
        views=tuple(sorted(out_views, key=lambda v: v.name)),
        routines=tuple(sorted(out_routines, key=lambda r: (r.name, r.kind))),
        triggers=tuple(sorted(out_triggers, key=lambda t: (t.table, t.name))),
        events=tuple(sorted(out_events, key=lambda e: e.name)),
    )


def clean(text: object, database: str) -> str:
    """The CREATE statement without its `DEFINER=` clause and without the (backquoted)
    `database`'s name before a table (see the module docstring)."""
    return _DEFINER.sub("", str(text), count=1).replace(f"{database}.", "")


def _view(name: str, text: str, relations: dict[str, str]) -> View:
    options = []
    head = _VIEW_OPTION.match(text)
    if head:
        options += [f"algorithm={head.group(1).upper()}", f"security={head.group(2).upper()}"]
    check = _CHECK_OPTION.search(text)
    if check:
        options.append(f"check_option={check.group(1).lower()}")
    query = text.split(" AS ", 1)[1] if " AS " in text else text
    return View(name, text, options=tuple(options), depends_on=_named(query, relations, name))


def _trigger(row: tuple[Any, ...], shown: tuple[Any, ...], db: str) -> Trigger:
    name, table, timing, event = (str(v) for v in row[:4])
    return Trigger(
        name,
        table,
        clean(shown[2], db),
        timing=timing.upper(),
        events=(event.upper(),),
        sql_mode=str(shown[1]),
    )


def _routine(name: str, kind: str, shown: tuple[Any, ...], db: str, routines: dict[str, str]) -> Routine:
    """`depends_on` names the routines its body calls (words of the body that are routine
    names), which is what creating them in order needs."""
    text = clean(shown[2], db)
    body = text.split(")", 1)[-1]
    calls = {routines[w.lower()] for w in _WORD.findall(body) if w.lower() in routines and w.lower() != name.lower()}
    return Routine(name, kind.lower(), text, language="SQL", depends_on=tuple(sorted(calls)), sql_mode=str(shown[1]))


def _named(text: str, relations: dict[str, str], own: str) -> tuple[str, ...]:
    """The relations of the database a view's query names (backquoted, as the server prints it)."""
    words = [w.replace("``", "`") for w in _BACKQUOTED.findall(text)]
    found = {relations[w.lower()] for w in words if w.lower() in relations and w.lower() != own.lower()}
    return tuple(sorted(found))


def _q(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"
