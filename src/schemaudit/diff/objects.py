"""Compare the objects beyond tables: match by name (and table), then by definition for
renames, then field by field.

A kind is compared only when both sources read it (`Objects.kinds`): a DDL file or models
source that cannot see triggers must not make every trigger of the database "extra".
Definitions are compared as printed by the database, after the light normalization both
sides need (whitespace, the trailing `;`): the live sources print them with the server's
own printer, so the same DDL gives the same text. Derived facts (dependencies, whether a
table calls a routine) follow the definition and are not compared on their own.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping

from schemaudit.diff.object_changes import AddObject, DropObject, ModifyObject, ObjectChange, RenameObject
from schemaudit.diff.object_text import text_differences
from schemaudit.identifiers import IdentifierRules
from schemaudit.model import Schema
from schemaudit.model_objects import (
    GROUPS,
    AnyObject,
    Policy,
    Routine,
    RowSecurity,
    Trigger,
    View,
    VirtualTable,
    kind_label,
    object_name,
    object_table,
)
from schemaudit.sqltext import code

_DERIVED = frozenset({"depends_on", "used_by_tables", "columns", "table", "function", "timing", "events"})
_DERIVED_BY_TYPE: dict[type, frozenset[str]] = {
    Routine: frozenset({"language", "returns", "volatility", "strict", "security_definer", "body"}),
    Trigger: frozenset({"for_each_row"}),
    VirtualTable: frozenset({"module"}),
}
_SPACE = re.compile(r"\s+")
_RENAMED = ("view", "routine", "trigger")


def normalized(text: str) -> str:
    """A definition with its spacing and trailing semicolon made uniform."""
    return _SPACE.sub(" ", text).strip().rstrip(";").strip()


def compare_objects(
    target: Schema, current: Schema, rules: IdentifierRules, tables: Mapping[str, str]
) -> list[ObjectChange]:
    """`tables` maps current table names to target table names (matched tables)."""
    changes: list[ObjectChange] = []
    listed = _listed(target) | _listed(current)
    for kind, field, gate in GROUPS:
        if not (target.objects.reads(gate) and current.objects.reads(gate)):
            continue
        wanted: list[AnyObject] = [o for o in getattr(target.objects, field) if _label(o) not in listed]
        have: list[AnyObject] = [_moved(o, tables) for o in getattr(current.objects, field) if _label(o) not in listed]
        textual = gate in target.objects.textual or gate in current.objects.textual
        audited = (target.name if gate in target.objects.textual else current.name) or "public"
        changes.extend(_compare_group(kind, wanted, have, rules, audited if textual else None))
    return changes


def _listed(schema: Schema) -> set[tuple[str, str, str | None]]:
    """(kind, name, table) of what a side lists as not audited: a view the models name but
    cannot define (a Table marked as a view), a trigger whose WHEN a file states but only a
    server prints, is neither missing there nor extra on the other side."""
    return {(o.kind, o.name, o.table) for o in schema.not_audited}


def _label(obj: AnyObject) -> tuple[str, str, str | None]:
    return (kind_label(obj), object_name(obj), object_table(obj))


def _moved(obj: AnyObject, tables: Mapping[str, str]) -> AnyObject:
    """A current trigger, policy or flag under its table's target name (a renamed table
    keeps them, and the server then prints the new name)."""
    table = object_table(obj)
    new = tables.get(table) if table is not None else None
    if table is None or new is None or new == table:
        return obj
    if isinstance(obj, Trigger):
        return dataclasses.replace(obj, table=new, definition=obj.definition.replace(f" ON {table} ", f" ON {new} ", 1))
    if isinstance(obj, (Policy, RowSecurity)):
        return dataclasses.replace(obj, table=new)
    return obj


def _key(obj: AnyObject, rules: IdentifierRules) -> tuple[str, str, str]:
    """A routine is keyed by its kind too: MySQL keeps functions and procedures in two
    namespaces, so a function and a procedure of one name are two objects."""
    table = object_table(obj)
    return (rules.table_key(table) if table else "", obj.kind if isinstance(obj, Routine) else "", object_name(obj))


def _compare_group(
    kind: str, wanted: list[AnyObject], have: list[AnyObject], rules: IdentifierRules, textual: str | None
) -> list[ObjectChange]:
    """`textual`: one side read the kind from a file's text (the audited schema's name)."""
    current = {_key(o, rules): o for o in have}
    out: list[ObjectChange] = []
    added: list[AnyObject] = []
    for obj in wanted:
        other = current.pop(_key(obj, rules), None)
        if other is None:
            added.append(obj)
            continue
        what = differences(obj, other) if textual is None else text_differences(obj, other, textual)
        if what:
            out.append(ModifyObject(kind, other, obj, what, object_table(obj) or ""))
    dropped = list(current.values())
    if kind in _RENAMED and textual is None:
        for obj in list(added):
            twin = next((o for o in dropped if _same_but_name(obj, o)), None)
            if twin is not None:
                added.remove(obj)
                dropped.remove(twin)
                reason = f"same definition as {object_name(twin)}"
                out.append(RenameObject(kind, twin, obj, (reason,), object_table(obj) or ""))
    out.extend(AddObject(kind, obj, object_table(obj) or "") for obj in added)
    out.extend(DropObject(kind, obj, object_table(obj) or "") for obj in dropped)
    return out


def differences(to: AnyObject, from_: AnyObject) -> tuple[str, ...]:
    """The fields of two objects of one kind that differ, definitions compared normalized."""
    skip = _DERIVED | _DERIVED_BY_TYPE.get(type(to), frozenset())
    what: list[str] = []
    for f in dataclasses.fields(to):
        if f.name in skip or f.name == "name":
            continue
        a, b = getattr(to, f.name), getattr(from_, f.name)
        if f.name == "time_zone" and (a is None or b is None):
            continue  # a snapshot from before events kept their zone
        if f.name == "definition" and getattr(to, "sql_mode", None) is not None:
            a, b = code(a, "mysql"), code(b, "mysql")  # MySQL's own client drops a body's comments
        elif f.name == "definition":
            a, b = normalized(a), normalized(b)
        if a != b:
            what.append(f.name)
    return tuple(what)


def _same_but_name(to: AnyObject, from_: AnyObject) -> bool:
    if type(to) is not type(from_) or isinstance(to, RowSecurity) or object_table(to) != object_table(from_):
        return False
    rename: Callable[[str], str] = _renamer(object_name(from_), object_name(to))
    if isinstance(to, View) and isinstance(from_, View):  # SQLite's text names the view itself
        return to.materialized == from_.materialized and normalized(to.definition) == normalized(
            rename(from_.definition)
        )
    if isinstance(to, Routine) and isinstance(from_, Routine):
        if to.name.partition("(")[2] != from_.name.partition("(")[2]:
            return False
        return normalized(to.definition) == normalized(rename(from_.definition))
    if isinstance(to, Trigger) and isinstance(from_, Trigger):
        return normalized(to.definition) == normalized(rename(from_.definition))
    return False


def _renamer(old: str, new: str) -> Callable[[str], str]:
    base_old, base_new = old.split("(", 1)[0], new.split("(", 1)[0]
    pattern = re.compile(rf"(?<![\w$]){re.escape(base_old)}(?![\w$])")
    return lambda text: pattern.sub(base_new.replace("\\", "\\\\"), text, count=1)
