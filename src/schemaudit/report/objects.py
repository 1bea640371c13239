"""Objects beyond tables in the reports: a table's triggers and policies beside its columns,
and every object (views, routines, sequences, types, extensions...) in its own section,
each with its state on both sides and the gap, drawn from the changes themselves."""

from __future__ import annotations

from dataclasses import dataclass

from schemaudit.audit.result import Audit
from schemaudit.diff.object_changes import AddObject, DropObject, ModifyObject, ObjectChange, RenameObject
from schemaudit.model_objects import GROUPS, AnyObject, detail, kind_label, object_name, object_table
from schemaudit.report import md


@dataclass(frozen=True, slots=True)
class ObjectRow:
    kind: str
    name: str
    table: str | None
    current: str | None  # detail, None when the current schema lacks it
    target: str | None
    gap: str  # "matches", "missing", "extra", "differs: ...", "rename from x"


def rows(audit: Audit) -> list[ObjectRow]:
    """Every object of either side, matched objects once, in creation order."""
    changed: dict[tuple[str, str, str], ObjectChange] = {}
    for c in audit.changes.changes:
        if isinstance(c, (AddObject, DropObject, ModifyObject, RenameObject)):
            changed[(kind_label(c.from_ if isinstance(c, DropObject) else c.to), c.table, c.name)] = c
    out: list[ObjectRow] = []
    for _, field, _ in GROUPS:
        for obj in getattr(audit.target.objects, field):
            change = changed.pop((kind_label(obj), object_table(obj) or "", object_name(obj)), None)
            out.append(_row(obj, change))
        for obj in getattr(audit.current.objects, field):
            key = (kind_label(obj), object_table(obj) or "", object_name(obj))
            if isinstance(changed.get(key), DropObject):
                out.append(_row(obj, changed.pop(key)))
    return out


def _row(obj: AnyObject, change: ObjectChange | None) -> ObjectRow:
    label, name, table = kind_label(obj), object_name(obj), object_table(obj)
    if isinstance(change, AddObject):
        return ObjectRow(label, name, table, None, detail(obj), "missing")
    if isinstance(change, DropObject):
        return ObjectRow(label, name, table, detail(obj), None, "extra")
    if isinstance(change, ModifyObject):
        return ObjectRow(label, name, table, detail(change.from_), detail(obj), "differs: " + ", ".join(change.what))
    if isinstance(change, RenameObject):
        old = object_name(change.from_)
        return ObjectRow(label, name, table, f"{old}: {detail(change.from_)}", detail(obj), f"rename from {old}")
    return ObjectRow(label, name, table, detail(obj), detail(obj), "matches")


_ICONS = {"matches": "✅", "missing": "❌ missing", "extra": "extra"}


def _gap(gap: str) -> str:
    return _ICONS.get(gap, f"⚠️ {gap}")


def _cell(text: str | None) -> str:
    if text is None:
        return "—"
    return md.code(text) if text else "✓"


def _table(name: str | None) -> str:
    return md.code(name) if name else "—"


def rows_by_table(audit: Audit) -> dict[str, list[ObjectRow]]:
    """The rows of objects that belong to a table (triggers, policies), by table name."""
    out: dict[str, list[ObjectRow]] = {}
    for r in rows(audit):
        if r.table is not None:
            out.setdefault(r.table, []).append(r)
    return out


def table_lines(mine: list[ObjectRow]) -> list[str]:
    """The **Triggers and policies** block of one table's section (`rows_by_table`'s rows for
    it; empty when it has none)."""
    if not mine:
        return []
    body = [(md.code(r.name), md.text(r.kind), _cell(r.current), _cell(r.target), _gap(r.gap)) for r in mine]
    return ["", "**Triggers and policies:**", "", *md.table(("Name", "Kind", "Current", "Target", "Gap"), body)]


def section_lines(audit: Audit) -> list[str]:
    """The section of all objects beyond tables; empty when neither side has any."""
    found = rows(audit)
    if not found:
        return []
    body = [
        (
            md.text(r.kind),
            md.code(r.name),
            md.code(r.table) if r.table else "—",
            _cell(r.current),
            _cell(r.target),
            _gap(r.gap),
        )
        for r in found
    ]
    return ["", *md.table(("Kind", "Name", "Table", "Current", "Target", "Gap"), body)]


def to_dicts(audit: Audit) -> list[dict[str, str | None]]:
    return [
        {"kind": r.kind, "name": r.name, "table": r.table, "current": r.current, "target": r.target, "gap": r.gap}
        for r in rows(audit)
    ]


def not_audited_lines(audit: Audit) -> list[str]:
    """The objects neither side compares, with the reason where a source gave one."""
    reasons = any(n.reason for n in audit.not_audited)
    rows = [
        (md.text(n.side), md.text(n.kind), md.code(n.name), md.code(n.table) if n.table else "—")
        + ((md.text(n.reason or "—"),) if reasons else ())
        for n in audit.not_audited
    ]
    return [
        "Objects the model does not compare yet; check them by hand.",
        "",
        *md.table(("Side", "Kind", "Name", "Table", *(("Why",) if reasons else ())), rows),
    ]
