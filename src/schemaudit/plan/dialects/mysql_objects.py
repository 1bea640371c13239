"""MySQL/MariaDB statements for views, triggers, routines and events: the CREATE text the
server printed (without its DEFINER, so the plan's user owns what it creates) is run again.

A trigger, routine or event keeps the sql_mode it was created under, so its CREATE runs
under that mode and the session's own mode comes back after it; an event's CREATE runs in
its own time zone the same way, so its STARTS text means the same instant. Nothing is altered in
place: ALTER VIEW restates the whole view, ALTER PROCEDURE/FUNCTION cannot change a body,
and a trigger has no ALTER at all, so a changed object is dropped and created. Views are
dropped and created around a column change under them (`VIEWS_BIND_COLUMNS`): MySQL lets
the column change, but a view over a dropped or retyped column is left broken or stale.
"""

from __future__ import annotations

from schemaudit.identifiers import quote
from schemaudit.model_objects import AnyObject, EnumType, Event, Routine, Sequence, Trigger, View

VIEWS_BIND_COLUMNS = True
OR_REPLACE_VIEWS = False
ROUTINE_PREAMBLE: tuple[str, ...] = ()


def create(obj: AnyObject) -> list[str]:
    if isinstance(obj, View):
        return [obj.definition.strip().rstrip(";")]
    if isinstance(obj, (Trigger, Routine, Event)):
        text = [obj.definition.strip().rstrip(";")]
        if isinstance(obj, Event) and obj.time_zone is not None:
            text = _under("time_zone", obj.time_zone, text)
        return text if obj.sql_mode is None else _under("sql_mode", obj.sql_mode, text)
    raise ValueError(f"MySQL has no {type(obj).__name__}")


def _under(variable: str, value: str, statements: list[str]) -> list[str]:
    """`statements` run with the session `variable` set to `value`, and the session's own
    value back after them. An event's time zone is the one its STARTS text is read in: a
    session in another zone would read the same text as another instant."""
    saved = f"@schemaudit_{variable}"
    quoted = "'" + value.replace("'", "''") + "'"
    return [
        f"SET {saved} = @@SESSION.{variable}",
        f"SET SESSION {variable} = {quoted}",
        *statements,
        f"SET SESSION {variable} = {saved}",
    ]


def drop(obj: AnyObject) -> list[str]:
    if isinstance(obj, View):
        return [f"DROP VIEW {quote(obj.name, 'mysql')}"]
    if isinstance(obj, Trigger):
        return [f"DROP TRIGGER {quote(obj.name, 'mysql')}"]
    if isinstance(obj, Routine):
        return [f"DROP {obj.kind.upper()} {quote(obj.name, 'mysql')}"]
    if isinstance(obj, Event):
        return [f"DROP EVENT {quote(obj.name, 'mysql')}"]
    raise ValueError(f"MySQL has no {type(obj).__name__}")


def alter(from_: AnyObject, to: AnyObject, what: tuple[str, ...]) -> list[str] | None:
    return None


def rename(from_: AnyObject, to: AnyObject) -> list[str] | None:
    return None


def owned_by(s: Sequence) -> list[str]:
    return []


def enum_additions(from_: EnumType, to: EnumType) -> list[str] | None:
    return None
