"""What each step does, how risky it is and why, and what a person must do about the data.

The risk of a step is the highest risk of its changes, with every reason kept: a reviewer
reads "High — type narrowing runs.model: VARCHAR(64) -> VARCHAR(32)", not a bare level.
Data-migration notes are written only where the schema change cannot finish the job by
itself: a new NOT NULL column needs values, a new reference column needs its keys found,
a cast may not keep the meaning of what the column held.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from schemaudit.audit.bookkeeping import bookkeeping_system
from schemaudit.diff import changes as ch
from schemaudit.diff import object_changes as oc
from schemaudit.diff import partition_changes as pc
from schemaudit.diff.changes import ColumnChange, TableChange, TypeRelation
from schemaudit.model import Column
from schemaudit.model_objects import EnumType, kind_label, object_name
from schemaudit.plan.model import Hazard, PlanChange, Risk, RiskLevel, StepKind
from schemaudit.plan.names import RenameConstraint, RenameIndex

L, M, H = RiskLevel.LOW, RiskLevel.MEDIUM, RiskLevel.HIGH


def describe(change: PlanChange) -> str:
    """One imperative phrase per change ("add column runs.started_at TIMESTAMPTZ")."""
    if isinstance(change, (oc.AddObject, oc.DropObject, oc.ModifyObject, oc.RenameObject)):
        return _object_phrase(change)
    if isinstance(change, (pc.AddPartition, pc.AttachPartition)):
        verb = "create" if isinstance(change, pc.AddPartition) else "attach"
        return f"{verb} partition {change.to.name} of {change.parent} {pc.partition_sql(change.to)}"
    if isinstance(change, (pc.DropPartition, pc.DetachPartition)):
        verb = "drop" if isinstance(change, pc.DropPartition) else "detach"
        return f"{verb} partition {change.from_.name} of {change.parent}"
    if isinstance(change, pc.ModifyPartition):
        return f"change partition {change.to.name} of {change.parent} ({', '.join(sorted(change.kinds))})"
    if isinstance(change, RenameIndex):
        return f"rename index {change.from_} on {change.table} to {change.to}"
    if isinstance(change, RenameConstraint):
        return f"rename {change.kind} constraint {change.from_} on {change.table} to {change.to}"
    if isinstance(change, ch.RenameTable):
        return f"rename table {change.from_} to {change.to}"
    if isinstance(change, ch.RenameColumn):
        return f"rename column {change.table}.{change.from_} to {change.to}"
    if isinstance(change, ch.AddTable):
        return f"create table {change.table} ({len(change.to.columns)} columns)"
    if isinstance(change, ch.DropTable):
        return f"drop table {change.table}"
    if isinstance(change, ch.AddColumn):
        return f"add column {change.table}.{change.to.name} {ch.column_sql(change.to)}"
    if isinstance(change, ch.DropColumn):
        return f"drop column {change.table}.{change.from_.name}"
    if isinstance(change, ch.ModifyColumn):
        kinds = set(change.kinds)
        if change.type_relation is TypeRelation.EQUIVALENT:  # a different spelling of the same storage
            kinds.discard(ColumnChange.TYPE)
        what = ", ".join(sorted(k.value for k in kinds))
        return f"alter column {change.table}.{change.to.name} ({what})"
    if isinstance(change, ch.ModifyTable):
        return f"alter table {change.table} ({', '.join(sorted(k.value for k in change.kinds))})"
    if isinstance(change, (ch.AddPrimaryKey, ch.ModifyPrimaryKey)):
        return f"set primary key of {change.table} to ({', '.join(change.to.columns)})"
    if isinstance(change, ch.DropPrimaryKey):
        return f"drop primary key of {change.table}"
    if isinstance(change, (ch.AddForeignKey, ch.ModifyForeignKey)):
        verb = "add" if isinstance(change, ch.AddForeignKey) else "replace"
        return f"{verb} foreign key {change.table}{ch.fk_sql(change.to)}"
    if isinstance(change, ch.DropForeignKey):
        return f"drop foreign key {change.table}{ch.fk_sql(change.from_)}"
    if isinstance(change, ch.AddUnique):
        return f"add unique {change.table}({', '.join(change.to.columns)})"
    if isinstance(change, ch.DropUnique):
        return f"drop unique {change.table}({', '.join(change.from_.columns)})"
    if isinstance(change, ch.AddCheck):
        return f"add check on {change.table} ({change.to.expression})"
    if isinstance(change, ch.DropCheck):
        return f"drop check on {change.table} ({change.from_.expression})"
    if isinstance(change, ch.AddIndex):
        return f"create index {change.to.name} on {change.table} {ch.index_sql(change.to)}".replace("  ", " ")
    if isinstance(change, ch.DropIndex):
        return f"drop index {change.from_.name} on {change.table}"
    assert isinstance(change, ch.ModifyIndex)
    return f"replace index {change.from_.name} on {change.table} by {change.to.name} {ch.index_sql(change.to)}"


def _object_phrase(change: oc.ObjectChange) -> str:
    label = kind_label(change.to if not isinstance(change, oc.DropObject) else change.from_)
    where = f" on {change.table}" if change.table and change.table != change.name else ""
    if isinstance(change, oc.AddObject):
        return f"create {label} {change.name}{where}"
    if isinstance(change, oc.DropObject):
        return f"drop {label} {change.name}{where}"
    if isinstance(change, oc.RenameObject):
        return f"rename {label} {object_name(change.from_)}{where} to {change.name}"
    if isinstance(change.from_, EnumType) and isinstance(change.to, EnumType) and "values" in change.what:
        added = [v for v in change.to.values if v not in change.from_.values]
        if added and all(v in change.to.values for v in change.from_.values):
            labels = ", ".join(repr(v) for v in added)
            rest = [w for w in change.what if w != "values"]
            more = f" ({', '.join(rest)})" if rest else ""
            return f"add value{'s' if len(added) > 1 else ''} {labels} to {label} {change.name}{more}"
    return f"change {label} {change.name}{where} ({', '.join(change.what)})"


_UNASKED = {
    StepKind.TYPES: "create the types the new columns use",
    StepKind.OBJECT_DROPS: "drop the views that read columns about to change (recreated after)",
    StepKind.VIEWS: "recreate the views dropped around the column changes",
}


def describe_step(kind: StepKind, table: str, changes: Sequence[PlanChange]) -> str:
    phrases = list(dict.fromkeys(describe(c) for c in changes))
    if kind is StepKind.REBUILD:
        phrases.insert(0, f"rebuild table {table} (create the new table, copy the rows, drop the old, rename)")
    if kind is StepKind.VALIDATION:
        phrases = [f"validate the constraints added to {table}"]
    if not phrases:  # statements no single change asked for
        phrases = [_UNASKED.get(kind, "prepare the next steps")]
    text = "; ".join(phrases)
    return text[:1].upper() + text[1:]


def _column_risk(change: ch.ModifyColumn) -> list[tuple[RiskLevel, str]]:
    out: list[tuple[RiskLevel, str]] = []
    what = f"{change.table}.{change.to.name}: {change.from_.type.raw} -> {change.to.type.raw}"
    if ColumnChange.TYPE in change.kinds:  # the relation is the current type's to the target's
        if change.type_relation is TypeRelation.WIDER:
            out.append((H, f"type narrowing {what}"))
        elif change.type_relation is TypeRelation.INCOMPATIBLE:
            out.append((H, f"values must be converted {what}"))
        elif change.type_relation is TypeRelation.NARROWER:
            out.append((L, f"type widening {what}"))
    if ColumnChange.NULLABLE in change.kinds and not change.to.nullable:
        out.append((M, f"NOT NULL on existing rows of {change.table}.{change.to.name}"))
    if change.kinds & {ColumnChange.IDENTITY, ColumnChange.GENERATED}:
        out.append((M, f"how {change.table}.{change.to.name} gets its values changes"))
    return out


def _risks(change: PlanChange, new_tables: set[str]) -> list[tuple[RiskLevel, str]]:
    existing = change.table not in new_tables
    if isinstance(change, ch.RenameTable):
        n = len(change.referenced_by)
        refs = f"; {n} foreign key{'s' if n > 1 else ''} follow{'' if n > 1 else 's'} it" if n else ""
        return [(M, f"code and queries that name {change.from_} break{refs}")]
    if isinstance(change, (ch.DropTable, ch.DropColumn, pc.DropPartition)):
        return [(H, f"data loss on drop ({describe(change)})")]
    if isinstance(change, (pc.ModifyPartition, pc.AttachPartition)):
        return [(M, f"rows of a partition are checked against a new bound ({describe(change)})")]
    if isinstance(change, ch.AddColumn) and existing and _needs_backfill(change.to):
        return [(H, f"NOT NULL on a populated table without default ({change.table}.{change.to.name})")]
    if isinstance(change, ch.ModifyColumn):
        return _column_risk(change)
    if isinstance(change, ch.ModifyTable) and TableChange.OPTIONS in change.kinds:
        return [(M, f"storage options of {change.table} change")]
    if isinstance(change, (ch.AddPrimaryKey, ch.ModifyPrimaryKey, ch.DropPrimaryKey)):
        return [(M, f"primary key of {change.table} changes")]
    if not existing:
        return []
    if isinstance(change, ch.AddUnique) or (isinstance(change, (ch.AddIndex, ch.ModifyIndex)) and change.to.unique):
        return [(M, f"unique constraint added to existing data ({describe(change)})")]
    if isinstance(change, ch.AddCheck):
        return [(M, f"check added to existing data on {change.table}")]
    if isinstance(change, (ch.AddForeignKey, ch.ModifyForeignKey)):
        return [(M, f"foreign key added to existing data on {change.table}")]
    return []


def _needs_backfill(col: Column) -> bool:
    """A NOT NULL column nothing fills: existing rows have no value for it."""
    return not col.nullable and col.default is None and col.identity is None and col.generated is None


def risk_of(
    kind: StepKind,
    table: str,
    changes: Iterable[PlanChange],
    new_tables: set[str],
    hazards: Iterable[Hazard] = (),
) -> Risk:
    """The highest risk of the changes and of the hazards whose level the dialect knows."""
    found: list[tuple[RiskLevel, str]] = [(h.level, h.message) for h in hazards if h.level is not None]
    if kind is StepKind.REBUILD:
        found.append((M, f"table rebuild of {table}: every row is copied"))
    if kind is StepKind.VALIDATION:
        found.append((M, f"existing rows of {table} must satisfy the new constraints"))
    else:
        for change in changes:
            found.extend(_risks(change, new_tables))
    level = max((lv for lv, _ in found), key=lambda r: r.rank, default=L)
    reasons = tuple(dict.fromkeys(reason for lv, reason in found if lv is level and lv is not L))
    return Risk(level, reasons)


class StepNotes:
    """Where a person must act on the data for a step to succeed or to mean anything. What
    the whole plan adds and renames is gathered once, not again for each of its steps."""

    def __init__(self, all_changes: Sequence[PlanChange], new_tables: set[str]) -> None:
        self.new_tables = new_tables
        self.fk_columns = {
            (c.table, col): c.to
            for c in all_changes
            if isinstance(c, (ch.AddForeignKey, ch.ModifyForeignKey))
            for col in c.to.columns
        }
        self.renamed = {(c.table, c.to): c.from_ for c in all_changes if isinstance(c, ch.RenameColumn)}

    def of(self, changes: Sequence[PlanChange]) -> tuple[str, ...]:
        notes: list[str] = []
        new_tables, fk_columns, renamed = self.new_tables, self.fk_columns, self.renamed
        for change in changes:
            system = bookkeeping_system(change.table) if isinstance(change, ch.AddTable) else None
            if system is not None:
                notes.append(
                    f"{change.table} is the bookkeeping of {system}: created as the target has it, without rows. "
                    "Recording which migrations have run is that tool's job (schemaudit writes no rows to another "
                    "tool's table)."
                )
            if change.table in new_tables:
                continue
            if isinstance(change, ch.AddColumn):
                col = change.to
                fk = fk_columns.get((change.table, col.name))
                if fk is not None:
                    notes.append(
                        f"{change.table}.{col.name} is a new reference to {fk.ref_table}: fill it for existing rows "
                        f"(find the {fk.ref_table} row each one belongs to) before relying on the foreign key."
                    )
                elif _needs_backfill(col):
                    notes.append(
                        f"Backfill {change.table}.{col.name} for existing rows: it is NOT NULL without a default, "
                        "so the step fails on a populated table until values are provided."
                    )
            elif isinstance(change, ch.ModifyColumn):
                col = change.to
                was = renamed.get((change.table, col.name))
                fk = fk_columns.get((change.table, col.name))
                if ColumnChange.TYPE in change.kinds and change.type_relation is TypeRelation.INCOMPATIBLE:
                    if fk is not None:
                        old = f" (was {was})" if was else ""
                        notes.append(
                            f"{change.table}.{col.name}{old} held {change.from_.type.raw} values and now references "
                            f"{fk.ref_table}({', '.join(fk.ref_columns)}): translate the stored values into the "
                            "referenced keys (look each one up) before the foreign key is validated."
                        )
                    else:
                        notes.append(
                            f"{change.table}.{col.name} changes from {change.from_.type.raw} to {col.type.raw}: "
                            "existing values are converted by a cast; check them, or convert them in a data "
                            "migration first."
                        )
                if ColumnChange.NULLABLE in change.kinds and not col.nullable:
                    notes.append(
                        f"Fill the NULLs in {change.table}.{col.name} first: a row holding NULL stops the step."
                    )
        return tuple(dict.fromkeys(notes))
