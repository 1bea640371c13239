"""The catalog a DDL file builds up, statement by statement, before it becomes a `Schema`.

Statements change tables after creating them (ALTER TABLE ADD CONSTRAINT, CREATE INDEX,
COMMENT ON, ATTACH PARTITION, ALTER SEQUENCE OWNED BY), so each table is a mutable draft
until the whole file is read. `finish()` then does what the database would have done by
itself, so that a file and the live database built from it give equal models:
- a PostgreSQL `serial` (a `nextval('seq'::regclass)` default whose sequence the column
  owns) becomes `Identity("serial")` with no default, as the live source reports it;
- a PostgreSQL partition (`PARTITION OF`, `ATTACH PARTITION`) is not a table of its own but
  a `Partition` of the table it belongs to, sub-partitions inside it;
- MySQL/InnoDB creates an index for a foreign key that no index starts with;
- everything is sorted by the conventions in docs/CONVENTIONS.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from schemaudit.identifiers import RULES_BY_DIALECT, IdentifierRules
from schemaudit.model import (
    CheckConstraint,
    Column,
    ForeignKey,
    Identity,
    Index,
    IndexElement,
    Origin,
    Partition,
    PrimaryKey,
    Schema,
    SchemaObject,
    SqlType,
    Table,
    TableOptions,
    UniqueConstraint,
)


@dataclass(frozen=True, slots=True)
class Problem:
    """A statement that could not be read: where, what, and why."""

    line: int
    statement: str
    reason: str
    table: str | None = None  # the table whose section held it, where known

    def describe(self, path: str) -> str:
        return f"{path}:{self.line}: cannot read {self.statement!r}: {self.reason}"


@dataclass(slots=True)
class TableDraft:
    """One table while the file is being read."""

    name: str
    origin: Origin | None = None
    columns: list[Column] = field(default_factory=list)
    primary_key: PrimaryKey | None = None
    foreign_keys: list[ForeignKey] = field(default_factory=list)
    uniques: list[UniqueConstraint] = field(default_factory=list)
    checks: list[CheckConstraint] = field(default_factory=list)
    indexes: list[Index] = field(default_factory=list)
    comment: str | None = None
    options: TableOptions = TableOptions()
    partition_of: str | None = None
    bound: str | None = None  # a partition's `FOR VALUES ...` / `DEFAULT`

    def column_index(self, name: str, rules: IdentifierRules) -> int:
        key = rules.column_key(name)
        return next((i for i, c in enumerate(self.columns) if rules.column_key(c.name) == key), -1)

    def replace_column(self, column: str, rules: IdentifierRules, **changes: object) -> bool:
        i = self.column_index(column, rules)
        if i < 0:
            return False
        self.columns[i] = replace(self.columns[i], **changes)  # type: ignore[arg-type]
        return True

    def freeze(self) -> Table:
        return Table(
            name=self.name,
            columns=tuple(self.columns),
            primary_key=self.primary_key,
            foreign_keys=tuple(sorted(self.foreign_keys, key=lambda f: (f.name or "", f.columns))),
            indexes=tuple(sorted(self.indexes, key=lambda i: (i.name, tuple(e.expr for e in i.elements)))),
            uniques=tuple(sorted(self.uniques, key=lambda u: (u.name or "", u.columns))),
            checks=tuple(sorted(self.checks, key=lambda c: (c.name or "", c.expression))),
            comment=self.comment,
            options=self.options,
            origin=self.origin,
        )


@dataclass(slots=True)
class ObjectTexts:
    """Statements about objects beyond tables, kept as written and read once the whole file
    is (`text_objects`): a function's body, a trigger's clauses, a sequence's options."""

    created: list[tuple[str, str, str | None, str]] = field(default_factory=list)  # kind, name, table, text
    sequences: dict[str, list[str]] = field(default_factory=dict)  # sequence key -> CREATE and ALTERs
    comments: list[str] = field(default_factory=list)  # COMMENT ON FUNCTION / TRIGGER / TYPE ...
    alters: list[tuple[str, str]] = field(default_factory=list)  # (table or "", ALTER text) on routines, triggers


@dataclass(slots=True)
class Catalog:
    """Everything read so far from one file."""

    path: str
    dialect: str
    schema: str | None  # the schema whose objects we keep (PostgreSQL; MySQL database)
    rules: IdentifierRules = field(init=False)
    tables: dict[str, TableDraft] = field(default_factory=dict)
    enums: dict[str, tuple[str, ...]] = field(default_factory=dict)
    domains: dict[str, SqlType] = field(default_factory=dict)
    sequences: dict[str, str] = field(default_factory=dict)  # key -> name as written
    owned: dict[str, tuple[str, str]] = field(default_factory=dict)  # sequence key -> (table, column)
    objects: list[SchemaObject] = field(default_factory=list)
    attached_indexes: set[str] = field(default_factory=set)  # a partition's, by `ALTER INDEX ... ATTACH`
    texts: ObjectTexts = field(default_factory=ObjectTexts)
    problems: list[Problem] = field(default_factory=list)
    base_line: int = 1  # line of the statement being read
    current: str | None = None  # where unqualified names go (search_path, USE)

    def __post_init__(self) -> None:
        self.rules = RULES_BY_DIALECT.get(self.dialect, RULES_BY_DIALECT["postgresql"])
        self.current = self.schema

    def origin(self, line_in_statement: int = 1) -> Origin:
        return Origin(self.path, self.base_line + line_in_statement - 1)

    def table(self, name: str) -> TableDraft | None:
        return self.tables.get(self.rules.table_key(name))

    def add_table(self, draft: TableDraft) -> None:
        self.tables[self.rules.table_key(draft.name)] = draft

    def drop_table(self, name: str) -> None:
        self.tables.pop(self.rules.table_key(name), None)

    def add_object(self, kind: str, name: str, table: str | None = None) -> None:
        self.objects.append(SchemaObject(kind, name, table))

    def drop_object(self, kind: str, name: str) -> None:
        self.objects = [o for o in self.objects if not (o.kind == kind and o.name == name)]

    def finish(self, origin: str) -> Schema:
        """The schema the file describes, completed the way the database completes it."""
        tables: list[Table] = []
        partitions: list[SchemaObject] = []
        used_sequences: set[str] = set()
        children = self._partitions()
        for draft in self.tables.values():
            if draft.partition_of is not None:
                if self.table(draft.partition_of) is None:  # of a table this file does not hold
                    partitions.append(SchemaObject("partition", draft.name, draft.partition_of))
                partitions.extend(self._own_keys(draft))
                continue
            draft.columns = [self._serial(draft.name, c, used_sequences) for c in draft.columns]
            if self.dialect == "mysql":
                draft.indexes.extend(_innodb_fk_indexes(draft, self.rules))
            table = draft.freeze()
            tables.append(replace(table, partitions=children(draft.name)) if draft.options.partitioned else table)
        tables.sort(key=lambda t: t.name)
        objects = list(self.objects) + partitions
        objects += [
            SchemaObject("sequence", name)
            for key, name in self.sequences.items()
            if key not in used_sequences and key not in self.owned
        ]
        return Schema(
            tables=tuple(tables),
            dialect=self.dialect,
            origin=origin,
            name=self.schema,
            rules=self.rules,
            not_audited=tuple(sorted(objects, key=lambda o: (o.kind, o.name, o.table or ""))),
            full_definitions=True,
        )

    def _own_keys(self, draft: TableDraft) -> list[SchemaObject]:
        """A partition's own primary key and unique constraints: not audited, as the live
        source lists them (its own indexes, foreign keys and checks are in its `Partition`)."""
        names = [u.name for u in draft.uniques if u.name]
        names += [draft.primary_key.name] if draft.primary_key is not None and draft.primary_key.name else []
        return [
            SchemaObject("partition constraint", name, draft.name)
            for name in names
            if self.rules.table_key(name) not in self.attached_indexes
        ]

    def _own_indexes(self, draft: TableDraft) -> tuple[Index, ...]:
        """A partition's indexes not attached to one of its table's (`ALTER INDEX ... ATTACH`)."""
        return tuple(
            sorted(
                (i for i in draft.indexes if self.rules.table_key(i.name) not in self.attached_indexes),
                key=lambda i: (i.name, tuple(e.expr for e in i.elements)),
            )
        )

    def _own_checks(self, draft: TableDraft, parent: str) -> tuple[CheckConstraint, ...]:
        """A partition's checks but those its table has (pg_dump writes the table's checks in
        a partition's CREATE TABLE too, under the table's names)."""
        owner = self.table(parent)
        inherited = {self.rules.table_key(c.name) for c in owner.checks if c.name} if owner is not None else set()
        own = (c for c in draft.checks if not (c.name and self.rules.table_key(c.name) in inherited))
        return tuple(sorted(own, key=lambda c: (c.name or "", c.expression)))

    def _partitions(self) -> Callable[[str], tuple[Partition, ...]]:
        """The partition tree below a table, by the parent's name (sorted by name, as the
        catalog lists them); a partition still without a bound is not one yet."""
        below: dict[str, list[TableDraft]] = {}
        for draft in self.tables.values():
            if draft.partition_of is not None and draft.bound is not None:
                below.setdefault(self.rules.table_key(draft.partition_of), []).append(draft)

        def tree(parent: str, seen: frozenset[str]) -> tuple[Partition, ...]:
            key = self.rules.table_key(parent)
            drafts = sorted(below.get(key, []), key=lambda d: d.name)
            return tuple(
                Partition(
                    d.name,
                    d.bound or "",
                    d.options.partitioning if d.options.partitioned else None,
                    tree(d.name, seen | {key}) if key not in seen else (),
                    d.origin,
                    self._own_indexes(d),
                    tuple(sorted(d.foreign_keys, key=lambda f: (f.name or "", f.columns))),
                    self._own_checks(d, parent),
                )
                for d in drafts
            )

        return lambda name: tree(name, frozenset())

    def _serial(self, table: str, column: Column, used: set[str]) -> Column:
        """`nextval('seq'::regclass)` on a column that owns `seq` is a serial column."""
        if self.dialect != "postgresql" or column.default is None or column.identity is not None:
            return column
        sequence = nextval_sequence(column.default)
        if sequence is None:
            return column
        schema, name = sequence
        if schema is not None and schema != self.schema:
            return column
        key = self.rules.table_key(name)
        owner = self.owned.get(key)
        tkey, ckey = self.rules.table_key, self.rules.column_key
        if owner is None or (tkey(owner[0]), ckey(owner[1])) != (tkey(table), ckey(column.name)):
            # a sequence the column does not own stays a default, printed the way the
            # catalog prints it with search_path at the schema: unqualified
            return replace(column, default=_nextval_text(name)) if schema is not None else column
        used.add(key)
        return replace(column, default=None, identity=Identity("serial", self.sequences.get(key, name)))


def nextval_sequence(default: str) -> tuple[str | None, str] | None:
    """(schema, name) of the sequence in a `nextval('schema.seq'::regclass)` default."""
    text = "".join(default.split())
    lower = text.lower()
    if not lower.startswith("nextval('") or not lower.endswith("'::regclass)"):
        return None
    inner = text[len("nextval('") : -len("'::regclass)")]
    parts = split_qualified(inner.replace("''", "'"))
    if parts is None:
        return None
    return (parts[0] if len(parts) == 2 else None), parts[-1]


def _nextval_text(sequence: str) -> str:
    quoted = sequence if sequence.islower() and sequence.replace("_", "a").isalnum() else '"' + sequence + '"'
    return "nextval('" + quoted.replace("'", "''") + "'::regclass)"


def split_qualified(text: str) -> list[str] | None:
    """`a.b`, `"A".b`, `b` -> its parts with quotes removed (PostgreSQL folding applied)."""
    parts: list[str] = []
    i = 0
    while i < len(text):
        if text[i] == '"':
            end = i + 1
            while True:
                end = text.find('"', end)
                if end < 0:
                    return None
                if text[end + 1 : end + 2] == '"':
                    end += 2
                    continue
                break
            parts.append(text[i + 1 : end].replace('""', '"'))
            i = end + 1
        else:
            end = text.find(".", i)
            end = len(text) if end < 0 else end
            parts.append(text[i:end].lower())
            i = end
        if i < len(text):
            if text[i] != ".":
                return None
            i += 1
    return parts or None


def _innodb_fk_indexes(draft: TableDraft, rules: IdentifierRules) -> list[Index]:
    """InnoDB needs an index starting with a foreign key's columns and creates one when no
    index, unique key or primary key already starts so: named like the constraint, or like
    its first column when the constraint's name was generated (`t_ibfk_1`)."""
    key = rules.column_key
    leads: list[tuple[str, ...]] = [tuple(key(c) for c in i.columns) for i in draft.indexes]
    leads += [tuple(key(c) for c in u.columns) for u in draft.uniques]
    if draft.primary_key is not None:
        leads.append(tuple(key(c) for c in draft.primary_key.columns))
    created: list[Index] = []
    for fk in draft.foreign_keys:
        wanted = tuple(key(c) for c in fk.columns)
        if any(lead[: len(wanted)] == wanted for lead in leads):
            continue
        name = fk.name if fk.name is not None and not fk.name.startswith(f"{draft.name}_ibfk_") else fk.columns[0]
        created.append(Index(name, tuple(IndexElement(c) for c in fk.columns), origin=fk.origin))
        leads.append(wanted)
    return created
