"""One immutable value per schema operation, in the spirit of Atlas's `schema.Change`.

Every change names the table it belongs to (`table`, the *target-side* name, except for
`DropTable` whose table only exists in the current schema), carries the model values on
both sides (`from_` = current, `to` = target) and can `describe()` itself in one sentence.
The audit maps these to findings and the planner to statements, so the vocabulary is
closed and typed: consumers dispatch on the class, never on strings or tuples.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import ClassVar

from schemaudit.diff.index_key import index_sql as index_sql
from schemaudit.diff.object_changes import AddObject, DropObject, ModifyObject, RenameObject
from schemaudit.diff.partition_changes import AddPartition, DropPartition, ModifyPartition
from schemaudit.model import CheckConstraint, Column, ForeignKey, Index, PrimaryKey, Table, UniqueConstraint


class ColumnChange(str, Enum):
    """What differs in a `ModifyColumn` (Atlas's ChangeKind), so rules need no re-diffing."""

    TYPE = "type"
    NULLABLE = "nullable"
    DEFAULT = "default"
    IDENTITY = "identity"
    GENERATED = "generated"
    COMMENT = "comment"
    COLLATION = "collation"
    ON_UPDATE = "on_update"  # MySQL `ON UPDATE CURRENT_TIMESTAMP`


class TypeRelation(str, Enum):
    """How the current type relates to the target type (see `normalize.compare_types`)."""

    EQUAL = "equal"
    EQUIVALENT = "equivalent"  # different spelling or storage, same values fit: a note only
    NARROWER = "narrower"  # current rejects some values the target accepts
    WIDER = "wider"  # current accepts more than the target asks for
    INCOMPATIBLE = "incompatible"  # different kinds of value


class ForeignKeyChange(str, Enum):
    ON_DELETE = "on_delete"
    ON_UPDATE = "on_update"
    DEFERRABLE = "deferrable"
    VALIDATED = "validated"  # the target's key checks every row; the current one was added NOT VALID


class TableChange(str, Enum):
    COMMENT = "comment"
    OPTIONS = "options"


@dataclass(frozen=True, slots=True)
class RenameEvidence:
    """Why two differently named objects were taken to be one: kept for the report."""

    score: float
    reasons: tuple[str, ...]
    hinted: bool = False

    def __str__(self) -> str:
        head = "hint" if self.hinted else f"confidence {self.score:.2f}"
        return f"{head}: {'; '.join(self.reasons)}" if self.reasons else head


@dataclass(frozen=True, slots=True)
class FkRef:
    """A foreign key together with the table that declares it (downstream impact)."""

    table: str
    foreign_key: ForeignKey

    def __str__(self) -> str:
        return f"{self.table}({', '.join(self.foreign_key.columns)})"


def column_sql(col: Column) -> str:
    """A short DDL-like rendering of a column for messages: `TEXT NOT NULL DEFAULT 'x'`."""
    parts = [col.type.raw]
    if not col.nullable:
        parts.append("NOT NULL")
    if col.default is not None:
        parts.append(f"DEFAULT {col.default}")
    if col.identity is not None:
        parts.append(f"IDENTITY({col.identity.kind})")
    if col.generated is not None:
        parts.append(f"GENERATED AS ({col.generated.expression})")
    return " ".join(parts)


def _cols(columns: tuple[str, ...]) -> str:
    return "(" + ", ".join(columns) + ")"


def fk_sql(fk: ForeignKey) -> str:
    ref = f"{fk.ref_table}{_cols(fk.ref_columns)}" if fk.ref_columns else fk.ref_table
    text = f"{_cols(fk.columns)} -> {ref}"
    if fk.on_delete != "NO ACTION":
        text += f" ON DELETE {fk.on_delete}"
    if fk.on_update != "NO ACTION":
        text += f" ON UPDATE {fk.on_update}"
    return text


def _referrers(refs: tuple[FkRef, ...]) -> str:
    return "; referenced by " + ", ".join(str(r) for r in refs) if refs else ""


@dataclass(frozen=True, slots=True)
class AddTable:
    rank: ClassVar[int] = 1
    table: str
    to: Table
    referenced_by: tuple[FkRef, ...] = ()  # target-side FKs that need this table
    exists_as: str | None = None  # the current schema has the name as another kind (virtual table, view)

    def describe(self) -> str:
        if self.exists_as:
            return f"Table {self.table} is a {self.exists_as} in the current schema, which is not audited."
        return f"Table {self.table} is missing ({len(self.to.columns)} columns){_referrers(self.referenced_by)}."


@dataclass(frozen=True, slots=True)
class DropTable:
    rank: ClassVar[int] = 2
    table: str  # the current name: there is no target side
    from_: Table
    referenced_by: tuple[FkRef, ...] = ()  # current-side FKs that point at it
    exists_as: str | None = None  # the target has the name as another kind (virtual table, view)

    def describe(self) -> str:
        return (
            f"Table {self.table} exists but is not in the target "
            f"({len(self.from_.columns)} columns){_referrers(self.referenced_by)}."
        )


@dataclass(frozen=True, slots=True)
class RenameTable:
    rank: ClassVar[int] = 0
    table: str  # the target name
    from_: str
    to: str
    evidence: RenameEvidence
    referenced_by: tuple[FkRef, ...] = ()  # current-side FKs that still name `from_`

    def describe(self) -> str:
        return f"Table {self.from_} should be renamed to {self.to} ({self.evidence}){_referrers(self.referenced_by)}."


@dataclass(frozen=True, slots=True)
class ModifyTable:
    rank: ClassVar[int] = 3
    table: str
    from_: Table
    to: Table
    kinds: frozenset[TableChange]

    def describe(self) -> str:
        parts = []
        if TableChange.COMMENT in self.kinds:
            parts.append(f"comment {self.from_.comment!r} -> {self.to.comment!r}")
        if TableChange.OPTIONS in self.kinds:
            parts.append(f"options {self.from_.options} -> {self.to.options}")
        return f"Table {self.table} differs: {'; '.join(parts)}."


@dataclass(frozen=True, slots=True)
class RenameColumn:
    rank: ClassVar[int] = 4
    table: str
    from_: str
    to: str
    evidence: RenameEvidence

    def describe(self) -> str:
        return f"Column {self.table}.{self.from_} should be renamed to {self.to} ({self.evidence})."


@dataclass(frozen=True, slots=True)
class AddColumn:
    rank: ClassVar[int] = 5
    table: str
    to: Column

    def describe(self) -> str:
        return f"Column {self.table}.{self.to.name} ({column_sql(self.to)}) is missing."


@dataclass(frozen=True, slots=True)
class DropColumn:
    rank: ClassVar[int] = 7
    table: str
    from_: Column

    def describe(self) -> str:
        return f"Column {self.table}.{self.from_.name} ({column_sql(self.from_)}) is not in the target."


@dataclass(frozen=True, slots=True)
class ModifyColumn:
    """`from_` is the current column (its current name), `to` the target column.

    `type_relation` is set when TYPE is among the kinds; `note` explains it ("TEXT stores
    UUID"). A TYPE change that is only EQUIVALENT is a note, not work: see `actionable`.
    """

    rank: ClassVar[int] = 6
    table: str
    from_: Column
    to: Column
    kinds: frozenset[ColumnChange]
    type_relation: TypeRelation | None = None
    note: str | None = None

    @property
    def actionable(self) -> bool:
        """False when the only difference is a storage-equivalent type spelling."""
        return self.kinds != frozenset({ColumnChange.TYPE}) or self.type_relation is not TypeRelation.EQUIVALENT

    def describe(self) -> str:
        parts = []
        if ColumnChange.TYPE in self.kinds:
            rel = self.type_relation.value if self.type_relation else "different"
            extra = f": {self.note}" if self.note else ""
            parts.append(f"type {self.from_.type.raw} vs {self.to.type.raw} ({rel}{extra})")
        if ColumnChange.NULLABLE in self.kinds:
            parts.append("NULL allowed" if self.from_.nullable else "NOT NULL")
            parts[-1] += ", target " + ("NULL allowed" if self.to.nullable else "NOT NULL")
        if ColumnChange.DEFAULT in self.kinds:
            parts.append(f"default {self.from_.default} vs {self.to.default}")
        for kind in (
            ColumnChange.IDENTITY,
            ColumnChange.GENERATED,
            ColumnChange.COMMENT,
            ColumnChange.COLLATION,
            ColumnChange.ON_UPDATE,
        ):
            if kind in self.kinds:
                mine, theirs = getattr(self.from_, kind.value), getattr(self.to, kind.value)
                parts.append(f"{kind.value} {mine} vs {theirs}")
        return f"Column {self.table}.{self.to.name} differs (current vs target): {'; '.join(parts)}."


@dataclass(frozen=True, slots=True)
class AddPrimaryKey:
    rank: ClassVar[int] = 8
    table: str
    to: PrimaryKey

    def describe(self) -> str:
        return f"Table {self.table} lacks its primary key {_cols(self.to.columns)}."


@dataclass(frozen=True, slots=True)
class DropPrimaryKey:
    rank: ClassVar[int] = 8
    table: str
    from_: PrimaryKey

    def describe(self) -> str:
        return f"Table {self.table} has a primary key {_cols(self.from_.columns)} the target does not."


@dataclass(frozen=True, slots=True)
class ModifyPrimaryKey:
    rank: ClassVar[int] = 8
    table: str
    from_: PrimaryKey
    to: PrimaryKey

    def describe(self) -> str:
        return f"Table {self.table} primary key is {_cols(self.from_.columns)}, target {_cols(self.to.columns)}."


@dataclass(frozen=True, slots=True)
class AddForeignKey:
    rank: ClassVar[int] = 9
    table: str
    to: ForeignKey

    def describe(self) -> str:
        return f"Table {self.table} lacks foreign key {fk_sql(self.to)}."


@dataclass(frozen=True, slots=True)
class DropForeignKey:
    rank: ClassVar[int] = 9
    table: str
    from_: ForeignKey

    def describe(self) -> str:
        return f"Table {self.table} has foreign key {fk_sql(self.from_)} the target does not."


@dataclass(frozen=True, slots=True)
class ModifyForeignKey:
    rank: ClassVar[int] = 9
    table: str
    from_: ForeignKey
    to: ForeignKey
    kinds: frozenset[ForeignKeyChange]

    def describe(self) -> str:
        parts = []
        if ForeignKeyChange.ON_DELETE in self.kinds:
            parts.append(f"ON DELETE {self.from_.on_delete} vs {self.to.on_delete}")
        if ForeignKeyChange.ON_UPDATE in self.kinds:
            parts.append(f"ON UPDATE {self.from_.on_update} vs {self.to.on_update}")
        if ForeignKeyChange.DEFERRABLE in self.kinds:
            parts.append(f"deferrable {self.from_.deferrable} vs {self.to.deferrable}")
        if ForeignKeyChange.VALIDATED in self.kinds:
            parts.append("NOT VALID (rows older than the key are unchecked) vs validated")
        return f"Foreign key {self.table}{_cols(self.to.columns)} differs (current vs target): {'; '.join(parts)}."


@dataclass(frozen=True, slots=True)
class AddUnique:
    rank: ClassVar[int] = 10
    table: str
    to: UniqueConstraint

    def describe(self) -> str:
        return f"Table {self.table} lacks UNIQUE {_cols(self.to.columns)}."


@dataclass(frozen=True, slots=True)
class DropUnique:
    rank: ClassVar[int] = 10
    table: str
    from_: UniqueConstraint

    def describe(self) -> str:
        return f"Table {self.table} has UNIQUE {_cols(self.from_.columns)} the target does not."


@dataclass(frozen=True, slots=True)
class AddCheck:
    rank: ClassVar[int] = 11
    table: str
    to: CheckConstraint

    def describe(self) -> str:
        return f"Table {self.table} lacks CHECK ({self.to.expression})."


@dataclass(frozen=True, slots=True)
class DropCheck:
    rank: ClassVar[int] = 11
    table: str
    from_: CheckConstraint

    def describe(self) -> str:
        return f"Table {self.table} has CHECK ({self.from_.expression}) the target does not."


@dataclass(frozen=True, slots=True)
class AddIndex:
    """`satisfied_by_unique` names the current (or to-be-added) UNIQUE / PRIMARY KEY whose
    implicit index already serves this index: intent-only drift, not a missing index."""

    rank: ClassVar[int] = 12
    table: str
    to: Index
    satisfied_by_unique: str | None = None

    def describe(self) -> str:
        label = f"Index {self.to.name} {index_sql(self.to)}" if self.to.name else f"Index {index_sql(self.to)}"
        if self.satisfied_by_unique:
            return f"{label} on {self.table} is not declared, but {self.satisfied_by_unique} implicitly indexes it."
        return f"{label} on {self.table} is missing."


@dataclass(frozen=True, slots=True)
class DropIndex:
    """`required_by_fk` is set where the dialect needs this index for a foreign key (MySQL)."""

    rank: ClassVar[int] = 12
    table: str
    from_: Index
    required_by_fk: str | None = None

    def describe(self) -> str:
        extra = f" (it backs foreign key {self.required_by_fk})" if self.required_by_fk else ""
        return f"Index {self.from_.name} {index_sql(self.from_)} on {self.table} is not in the target{extra}."


@dataclass(frozen=True, slots=True)
class ModifyIndex:
    rank: ClassVar[int] = 12
    table: str
    from_: Index
    to: Index
    name_only: bool = False  # the same definition under another name

    def describe(self) -> str:
        return (
            f"Index {self.from_.name} on {self.table} is {index_sql(self.from_)}, "
            f"target {self.to.name} {index_sql(self.to)}."
        )


Change = (
    AddTable
    | DropTable
    | RenameTable
    | ModifyTable
    | AddColumn
    | DropColumn
    | RenameColumn
    | ModifyColumn
    | AddPrimaryKey
    | DropPrimaryKey
    | ModifyPrimaryKey
    | AddForeignKey
    | DropForeignKey
    | ModifyForeignKey
    | AddUnique
    | DropUnique
    | AddCheck
    | DropCheck
    | AddIndex
    | DropIndex
    | ModifyIndex
    | AddPartition
    | DropPartition
    | ModifyPartition
    | AddObject
    | DropObject
    | ModifyObject
    | RenameObject
)


def is_actionable(change: Change) -> bool:
    """Whether a change needs work: storage-equivalent types and indexes already served by
    a unique constraint's implicit index are notes for the report, not migration steps."""
    if isinstance(change, ModifyColumn):
        return change.actionable
    if isinstance(change, AddIndex):
        return change.satisfied_by_unique is None
    if isinstance(change, AddTable):  # the name is a virtual table or view there: not ours to replace
        return change.exists_as is None
    return True
