"""Rules for objects beyond tables: one check per (operation, kinds), built by the factories
below and registered in `rules.py` with their own codes.

Severities follow the table rules' principle. A missing trigger, routine, view, sequence,
type, extension or policy breaks at runtime or lets bad data in (the invariant a trigger
enforces, the query that reads a view, the rows a policy hides): CRITICAL. A changed
definition is drift that needs a migration: WARNING. An extra object is mostly safe to
keep (INFO), except an extra trigger or policy, which changes what writes and reads do
(WARNING). A comment is a note (INFO).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from schemaudit.audit.draft import MEANT, Context, Draft
from schemaudit.diff.object_changes import AddObject, DropObject, ModifyObject, RenameObject
from schemaudit.model_objects import (
    AnyObject,
    EnumType,
    Extension,
    Routine,
    Trigger,
    View,
    VirtualTable,
    object_name,
    object_table,
)

Check = Callable[[object, Context], Iterator[Draft]]


def _table(obj: AnyObject) -> str | None:
    return object_table(obj)


def _definition(obj: AnyObject) -> str | None:
    if isinstance(obj, (View, Routine, Trigger, VirtualTable)):
        return obj.definition.strip()
    if isinstance(obj, Extension):
        return f"CREATE EXTENSION {obj.name}"
    return None


def _evidence(obj: AnyObject) -> tuple[str, ...]:
    if isinstance(obj, Trigger):
        return (f"{obj.timing or ''} {' OR '.join(obj.events)} calls {obj.function}".strip(),)
    if isinstance(obj, View) and obj.depends_on:
        return ("reads " + ", ".join(obj.depends_on),)
    return ()


def missing(kinds: frozenset[str]) -> Check:
    def check(c: object, ctx: Context) -> Iterator[Draft]:
        if isinstance(c, AddObject) and c.kind in kinds:
            label = c.describe()
            fix = _definition(c.to)
            yield Draft(_table(c.to), None, label, _evidence(c.to), fix or "create it as the target defines it")

    return check


def extra(kinds: frozenset[str]) -> Check:
    def check(c: object, ctx: Context) -> Iterator[Draft]:
        if isinstance(c, DropObject) and c.kind in kinds:
            yield Draft(_table(c.from_), None, c.describe(), _evidence(c.from_), f"drop it, {MEANT}")

    return check


def differs(kinds: frozenset[str]) -> Check:
    def check(c: object, ctx: Context) -> Iterator[Draft]:
        if isinstance(c, ModifyObject) and c.kind in kinds and not c.comment_only:
            if isinstance(c.to, EnumType) and _lacks_values(c):
                return
            evidence = tuple(_field_evidence(c, f) for f in c.what if f != "comment")
            yield Draft(_table(c.to), None, c.describe(), evidence, _definition(c.to) or "change it to the target's")

    return check


def enum_lacks_values(c: object, ctx: Context) -> Iterator[Draft]:
    if isinstance(c, ModifyObject) and isinstance(c.to, EnumType) and _lacks_values(c):
        assert isinstance(c.from_, EnumType)
        gone = [v for v in c.to.values if v not in c.from_.values]
        yield Draft(
            None,
            None,
            f"Enum type {c.name} lacks the target's values {', '.join(gone)}: rows with them are refused.",
            (f"current: {', '.join(c.from_.values)}", f"target: {', '.join(c.to.values)}"),
            "; ".join(f"ALTER TYPE {c.name} ADD VALUE '{v}'" for v in gone),
        )


def _lacks_values(c: ModifyObject) -> bool:
    assert isinstance(c.to, EnumType) and isinstance(c.from_, EnumType)
    return any(v not in c.from_.values for v in c.to.values)


def renamed(kinds: frozenset[str]) -> Check:
    def check(c: object, ctx: Context) -> Iterator[Draft]:
        if isinstance(c, RenameObject) and c.kind in kinds:
            yield Draft(_table(c.to), None, c.describe(), c.reasons, f"rename {object_name(c.from_)} to {c.name}")

    return check


def comment_differs(c: object, ctx: Context) -> Iterator[Draft]:
    if isinstance(c, ModifyObject) and "comment" in c.what:
        old, new = getattr(c.from_, "comment", None), getattr(c.to, "comment", None)
        yield Draft(
            _table(c.to),
            None,
            f"Comment on {c.describe().split(' differs')[0].lower()} differs.",
            (f"{old!r} -> {new!r}",),
        )


def _field_evidence(c: ModifyObject, field: str) -> str:
    old, new = getattr(c.from_, field, None), getattr(c.to, field, None)
    if field == "definition":
        return "definition differs (current vs target text)"
    return f"{field}: {old!r} -> {new!r}"
