"""Which half of each change a table phase of the plan carries out (see `planner`).

A replaced index or foreign key is dropped in the phase that relaxes the table and added in
the one that constrains it; a key added NOT VALID that the target has validated is validated
in place, in the foreign-key phase. A table's partitions change in one step of their own: detached
and dropped first, then created, then attached with their new bounds, so bounds moving
between partitions never overlap on the way, and the table's row count is the same after the
step (unless partitions are dropped, with `--allow-drop`).
"""

from __future__ import annotations

from schemaudit.diff import changes as ch
from schemaudit.diff import partition_changes as pc
from schemaudit.plan.model import PlanChange

_RELAX = (ch.DropForeignKey, ch.DropCheck, ch.DropUnique, ch.DropIndex)
_ALTER = (ch.ModifyColumn, ch.ModifyTable, ch.DropPrimaryKey, ch.AddPrimaryKey, ch.ModifyPrimaryKey)
_KEYS = (ch.AddUnique, ch.AddCheck, ch.AddIndex)


def validates_only(c: PlanChange) -> bool:
    """A key added NOT VALID that the target has validated: validated in place, kept."""
    return isinstance(c, ch.ModifyForeignKey) and c.kinds == {ch.ForeignKeyChange.VALIDATED} and bool(c.from_.name)


def relax_half(c: PlanChange) -> list[PlanChange]:
    if isinstance(c, _RELAX):
        return [c]
    if isinstance(c, ch.ModifyForeignKey) and not validates_only(c):
        return [ch.DropForeignKey(c.table, c.from_)]
    if isinstance(c, ch.ModifyIndex):
        return [ch.DropIndex(c.table, c.from_)]
    return []


def keys_half(c: PlanChange) -> list[PlanChange]:
    if isinstance(c, _KEYS):
        return [c]
    if isinstance(c, ch.ModifyIndex):
        return [ch.AddIndex(c.table, c.to)]
    return []


def altered(c: PlanChange) -> list[PlanChange]:
    return [c] if isinstance(c, _ALTER) else []


def partitions(c: PlanChange) -> list[PlanChange]:
    """A table's partition changes, in one step: a changed bound as its two halves."""
    if isinstance(c, pc.ModifyPartition) and c.kinds == {pc.PartitionChange.BOUND}:
        return [pc.DetachPartition(c.table, c.parent, c.from_), pc.AttachPartition(c.table, c.parent, c.to)]
    return [c] if isinstance(c, (pc.AddPartition, pc.DropPartition, pc.ModifyPartition)) else []


def partition_order(c: PlanChange) -> int:
    """Detach and drop first, attach last, so no two bounds overlap on the way."""
    if isinstance(c, (pc.DetachPartition, pc.DropPartition)):
        return 0
    return 2 if isinstance(c, pc.AttachPartition) else 1


def relax_keep_indexes(c: PlanChange) -> list[PlanChange]:
    return [] if isinstance(c, (ch.DropIndex, ch.ModifyIndex)) else relax_half(c)


def keys_with_indexes(c: PlanChange) -> list[PlanChange]:
    """Index drops and replacements beside the adds: an index a foreign key needs may go only
    in the statement that adds the one replacing it (MySQL)."""
    return [c] if isinstance(c, (ch.DropIndex, ch.ModifyIndex)) else keys_half(c)


def fk_half(c: PlanChange) -> list[PlanChange]:
    if isinstance(c, ch.AddForeignKey) or validates_only(c):
        return [c]
    if isinstance(c, ch.ModifyForeignKey):
        return [ch.AddForeignKey(c.table, c.to)]
    return []
