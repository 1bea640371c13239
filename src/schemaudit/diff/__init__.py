"""The compare engine: match two schemas (renames included) and list what differs.

    from schemaudit.diff import compare, Hints
    changes = compare(target, current, Hints.from_mapping({"table": {"users": "app_users"}}))
    for change in changes:
        print(change.describe())

See `changes` for the operation types, `normalize` for what counts as equivalent, `renames`
for how renames are scored.
"""

from schemaudit.diff.changes import (
    AddCheck,
    AddColumn,
    AddForeignKey,
    AddIndex,
    AddPrimaryKey,
    AddTable,
    AddUnique,
    Change,
    ColumnChange,
    DropCheck,
    DropColumn,
    DropForeignKey,
    DropIndex,
    DropPrimaryKey,
    DropTable,
    DropUnique,
    FkRef,
    ForeignKeyChange,
    ModifyColumn,
    ModifyForeignKey,
    ModifyIndex,
    ModifyPrimaryKey,
    ModifyTable,
    RenameColumn,
    RenameEvidence,
    RenameTable,
    TableChange,
    TypeRelation,
    is_actionable,
)
from schemaudit.diff.compare import combined_rules, compare, referencing_fks
from schemaudit.diff.hints import HintError, Hints
from schemaudit.diff.indexes import implicit_index_for
from schemaudit.diff.normalize import TypeComparison, compare_types, default_key
from schemaudit.diff.object_changes import AddObject, DropObject, ModifyObject, ObjectChange, RenameObject
from schemaudit.diff.partition_changes import AddPartition, DropPartition, ModifyPartition, PartitionChange
from schemaudit.diff.result import Changes, ColumnMatch, RenameCandidate, TableMatch

__all__ = [
    "AddCheck",
    "AddColumn",
    "AddForeignKey",
    "AddIndex",
    "AddObject",
    "AddPartition",
    "AddPrimaryKey",
    "AddTable",
    "AddUnique",
    "Change",
    "Changes",
    "ColumnChange",
    "ColumnMatch",
    "DropCheck",
    "DropColumn",
    "DropForeignKey",
    "DropIndex",
    "DropObject",
    "DropPartition",
    "DropPrimaryKey",
    "DropTable",
    "DropUnique",
    "FkRef",
    "ForeignKeyChange",
    "HintError",
    "Hints",
    "ModifyColumn",
    "ModifyForeignKey",
    "ModifyIndex",
    "ModifyObject",
    "ModifyPartition",
    "ModifyPrimaryKey",
    "ModifyTable",
    "ObjectChange",
    "PartitionChange",
    "RenameCandidate",
    "RenameColumn",
    "RenameEvidence",
    "RenameObject",
    "RenameTable",
    "TableChange",
    "TableMatch",
    "TypeComparison",
    "TypeRelation",
    "combined_rules",
    "compare",
    "compare_types",
    "default_key",
    "implicit_index_for",
    "is_actionable",
    "referencing_fks",
]
