"""SQLite statements for views, triggers and virtual tables: the CREATE text SQLite stored
is run again; nothing changes in place (no CREATE OR REPLACE, no ALTER VIEW or ALTER
TRIGGER), so a changed or renamed view or trigger is dropped and created. A virtual table's
CREATE makes its shadow tables; its DROP TABLE drops them."""

from __future__ import annotations

from schemaudit.identifiers import quote
from schemaudit.model_objects import AnyObject, EnumType, Sequence, Trigger, View, VirtualTable

VIEWS_BIND_COLUMNS = False
OR_REPLACE_VIEWS = False
ROUTINE_PREAMBLE: tuple[str, ...] = ()


def create(obj: AnyObject) -> list[str]:
    if isinstance(obj, (View, Trigger, VirtualTable)):
        return [obj.definition.strip().rstrip(";")]
    raise ValueError(f"SQLite has no {type(obj).__name__}")


def drop(obj: AnyObject) -> list[str]:
    if isinstance(obj, View):
        return [f"DROP VIEW {quote(obj.name, 'sqlite')}"]
    if isinstance(obj, Trigger):
        return [f"DROP TRIGGER {quote(obj.name, 'sqlite')}"]
    if isinstance(obj, VirtualTable):
        return [f"DROP TABLE {quote(obj.name, 'sqlite')}"]
    raise ValueError(f"SQLite has no {type(obj).__name__}")


def alter(from_: AnyObject, to: AnyObject, what: tuple[str, ...]) -> list[str] | None:
    return None


def rename(from_: AnyObject, to: AnyObject) -> list[str] | None:
    return None


def owned_by(s: Sequence) -> list[str]:
    return []


def enum_additions(from_: EnumType, to: EnumType) -> list[str] | None:
    return None
