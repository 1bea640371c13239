"""Compare one matched table pair: columns, keys, constraints, indexes, table options.

Everything on the current side is first translated to target-side names (column renames,
table renames), so constraints are matched by *content* — columns, referenced table,
normalized expression — and never by name: generated names differ between sources
(`users_email_key` vs `sqlite_autoindex_users_1` vs None) and a name-only difference is not
drift worth a finding, so none is emitted. Index names are used only to pair a changed
index with its old version (ModifyIndex).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from operator import attrgetter

from schemaudit.diff import changes as ch
from schemaudit.diff.changes import ColumnChange, ForeignKeyChange, TableChange, TypeRelation
from schemaudit.diff.context import Context
from schemaudit.diff.expressions import expression_key
from schemaudit.diff.indexes import diff_indexes
from schemaudit.diff.normalize import (
    IMPLICIT_IDENTITY_KINDS,
    compare_types,
    defaults_equal,
    fk_action,
    identities_equal,
    storage,
)
from schemaudit.diff.partition_changes import DropPartition, PartitionOp, diff_partitions, same_partitions
from schemaudit.diff.partitions import partition_key
from schemaudit.model import Column, ForeignKey, Partition, PrimaryKey, Schema, Table

# What each model value *is*, without where it was read from (`origin`): a DDL file and a live
# database describing the same table must compare equal in one cheap step. `parse_type` is
# cached, so equal spellings share one SqlType object and tuple comparison short-cuts on identity.
_COLUMN = attrgetter(
    "name", "type", "nullable", "default", "identity", "generated", "comment", "collation", "on_update"
)
_TABLE = attrgetter("name", "comment", "options")
_PARTS: tuple[tuple[str, Callable[[object], object]], ...] = (
    (
        "foreign_keys",
        attrgetter(
            "columns",
            "ref_table",
            "ref_columns",
            "name",
            "on_delete",
            "on_update",
            "ref_schema",
            "deferrable",
            "initially_deferred",
            "validated",
        ),
    ),
    ("indexes", attrgetter("name", "elements", "unique", "where", "method", "include", "comment", "options")),
    ("uniques", attrgetter("columns", "name")),
    ("checks", attrgetter("expression", "name", "column")),
)


def same_column(a: Column, b: Column) -> bool:
    return a is b or _COLUMN(a) == _COLUMN(b)


def _pk(pk: PrimaryKey) -> tuple[object, ...]:
    return pk.columns, pk.name, pk.comment, pk.options


def same_table(a: Table, b: Table) -> bool:
    """Equal in content, ignoring origins (names compared exactly)."""
    if a == b:
        return True
    if _TABLE(a) != _TABLE(b) or len(a.columns) != len(b.columns):
        return False
    pa, pb = a.primary_key, b.primary_key
    if (pa is None) != (pb is None) or (pa is not None and pb is not None and _pk(pa) != _pk(pb)):
        return False
    if not all(map(same_column, a.columns, b.columns)) or not same_partitions(a.partitions, b.partitions):
        return False
    for attr, fields in _PARTS:
        xs, ys = getattr(a, attr), getattr(b, attr)
        if len(xs) != len(ys) or [fields(x) for x in xs] != [fields(y) for y in ys]:
            return False
    return True


def diff_table(
    ctx: Context, t: Table, c: Table, pairs: list[tuple[Column, Column]], added: list[Column], dropped: list[Column]
) -> list[tuple[int, str, ch.Change]]:
    """Changes for one table pair as (rank, item label, change), for the caller to order."""
    out: list[tuple[int, str, ch.Change]] = []
    key = ctx.rules.column_key
    name = ctx.column_namer(c.name)
    t_pk = {key(x) for x in t.primary_key.columns} if t.primary_key else set()
    c_pk = {name(x) for x in c.primary_key.columns} if c.primary_key else set()
    same_dialect = ctx.target.dialect == ctx.current.dialect
    for tcol, ccol in pairs:
        if same_dialect and same_column(tcol, ccol):
            continue
        mod = diff_column(ctx, t.name, tcol, ccol, key(tcol.name) in t_pk, name(ccol.name) in c_pk)
        if mod is not None:
            out.append((mod.rank, tcol.name, mod))
    out.extend((ch.AddColumn.rank, col.name, ch.AddColumn(t.name, col)) for col in added)
    out.extend((ch.DropColumn.rank, col.name, ch.DropColumn(t.name, col)) for col in dropped)
    pk = _diff_primary_key(ctx, t, c)
    if pk is not None:
        out.append((pk.rank, "", pk))
    out.extend(_diff_foreign_keys(ctx, t, c))
    out.extend(_diff_checks(ctx, t, c))
    out.extend((x.rank, _label(x), x) for x in diff_indexes(ctx, t, c))
    mod_table = _diff_table_facts(ctx, t, c)
    if mod_table is not None:
        out.append((mod_table.rank, "", mod_table))
    if _partitions_compared(ctx, t, c):
        changes = diff_partitions(t.name, t.partitions, c.partitions, ctx.rules.table_key)
        out.extend((p.rank, _partition_name(p), p) for p in changes)
    return out


def partition_keys(ctx: Context, t: Table, c: Table | None) -> list[ch.Change]:
    """What differs in the partitions' own indexes, foreign keys and checks, as changes on
    the partition (named as a table: `CREATE INDEX ... ON partition`, `ALTER TABLE partition
    ADD ...` is what makes them). A partition the current side lacks gets all of its own; one
    the target lacks is dropped with them; one partitioned anew is created anew with them."""
    if not ctx.target.full_definitions or ctx.target.dialect != ctx.current.dialect:
        return []
    key = ctx.rules.table_key
    out: list[ch.Change] = []

    def walk(targets: tuple[Partition, ...], currents: tuple[Partition, ...]) -> None:
        left = {key(p.name): p for p in currents}
        for p in targets:
            old = left.get(key(p.name))
            if old is not None and partition_key(old.partitioning) != partition_key(p.partitioning):
                old = None  # created anew, with its own keys
            empty = Partition(p.name, p.bound)
            out.extend(_own_changes(ctx, _as_table(t, p), _as_table(t, old or empty)))
            walk(p.partitions, old.partitions if old is not None else ())

    walk(t.partitions, c.partitions if c is not None and _partitions_compared(ctx, t, c) else ())
    return out


def _as_table(owner: Table, p: Partition) -> Table:
    return Table(p.name, owner.columns, indexes=p.indexes, foreign_keys=p.foreign_keys, checks=p.checks)


def _own_changes(ctx: Context, t: Table, c: Table) -> list[ch.Change]:
    if t.indexes == c.indexes and t.foreign_keys == c.foreign_keys and t.checks == c.checks:
        return []
    items = [*_diff_foreign_keys(ctx, t, c), *_diff_checks(ctx, t, c)]
    items.extend((x.rank, _label(x), x) for x in diff_indexes(ctx, t, c))
    return [change for _, _, change in sorted(items, key=lambda i: (i[0], i[1]))]


def _partition_name(change: PartitionOp) -> str:
    return change.from_.name if isinstance(change, DropPartition) else change.to.name


def _partitions_compared(ctx: Context, t: Table, c: Table) -> bool:
    """Partitions are compared where the target states them (a catalog, a DDL file: models
    cannot) and the two tables share one partition key: a table partitioned anew is rebuilt
    with the target's partitions, so its old ones are not worth a finding each."""
    return (
        ctx.target.full_definitions
        and ctx.target.dialect == ctx.current.dialect
        and t.options.partitioned
        and c.options.partitioned
        and partition_key(t.options.partitioning) == partition_key(c.options.partitioning)
        and bool(t.partitions or c.partitions)
    )


def _label(change: ch.Change) -> str:
    index = getattr(change, "to", None) or getattr(change, "from_", None)
    return ch.index_sql(index) if index is not None and hasattr(index, "elements") else str(index)


def diff_column(ctx: Context, table: str, t: Column, c: Column, t_in_pk: bool, c_in_pk: bool) -> ch.ModifyColumn | None:
    """A ModifyColumn if the pair differs in meaning, else None. Primary-key columns count as
    NOT NULL on both sides (SQLite reports them nullable); comment and collation are compared
    only where the target states one, since catalogs report defaults the target never wrote."""
    t_dialect, c_dialect = ctx.dialects
    same_dialect = t_dialect == c_dialect
    # a key column is NOT NULL whatever the catalog says; the change carries that, so rules
    # read the direction right (SQLite reports `INTEGER PRIMARY KEY` columns nullable)
    declared_nullable = c.nullable  # as the catalog reports it, before the key's NOT NULL
    t = replace(t, nullable=False) if t_in_pk and t.nullable else t
    c = replace(c, nullable=False) if c_in_pk and c.nullable else c
    kinds: set[ColumnChange] = set()
    relation: TypeRelation | None = None
    note: str | None = None
    if not (same_dialect and t.type == c.type):
        cmp = compare_types(t.type, c.type, t_dialect, c_dialect)
        if cmp.relation is not TypeRelation.EQUAL:
            kinds.add(ColumnChange.TYPE)
            relation, note = cmp.relation, cmp.note
    # SQLite's rowid alias takes a NULL by numbering the row: a nullable target loses nothing
    # (unless NOT NULL is declared: it stays when the key goes, and must go with it)
    rowid = c.identity is not None and c.identity.kind in IMPLICIT_IDENTITY_KINDS and t.nullable and declared_nullable
    if t.nullable != c.nullable and not rowid:
        kinds.add(ColumnChange.NULLABLE)
    both_identity = t.identity is not None and c.identity is not None
    families = frozenset({t.type.family, c.type.family})
    if not both_identity and not defaults_equal(t.default, c.default, t_dialect, c_dialect, families):
        kinds.add(ColumnChange.DEFAULT)
    if not identities_equal(t.identity, c.identity, same_dialect):
        kinds.add(ColumnChange.IDENTITY)
    if (t.generated is None) != (c.generated is None) or (
        t.generated is not None
        and c.generated is not None
        and (
            t.generated.stored != c.generated.stored
            or expression_key(t.generated.expression, t_dialect)
            != expression_key(c.generated.expression, c_dialect, ctx.renames(table))
        )
    ):
        kinds.add(ColumnChange.GENERATED)
    if _states_comment(ctx, t.comment) and t.comment != c.comment and storage(c_dialect).has_comments:
        kinds.add(ColumnChange.COMMENT)
    if t.collation is not None and (c.collation or "").lower() != t.collation.lower():
        kinds.add(ColumnChange.COLLATION)
    if t_dialect == c_dialect == "mysql" and _on_update_key(t.on_update) != _on_update_key(c.on_update):
        kinds.add(ColumnChange.ON_UPDATE)  # only MySQL/MariaDB have it: other dialects use triggers
    if not kinds:
        return None
    return ch.ModifyColumn(table, c, t, frozenset(kinds), relation, note)


def _states_comment(ctx: Context, comment: str | None) -> bool:
    """Whether the target says what the comment is: it states one, or it is a source of the
    current's dialect that holds every comment (no comment there means none)."""
    return comment is not None or (ctx.target.full_definitions and ctx.target.dialect == ctx.current.dialect)


def _on_update_key(text: str | None) -> str | None:
    """`current_timestamp()` (MariaDB's catalog), `CURRENT_TIMESTAMP`, `now()` are one value."""
    if text is None:
        return None
    key = expression_key(text, "mysql")
    return expression_key("CURRENT_TIMESTAMP", "mysql") if key == expression_key("now()", "mysql") else key


def _diff_primary_key(ctx: Context, t: Table, c: Table) -> ch.Change | None:
    if t.primary_key is None and c.primary_key is None:
        return None
    if c.primary_key is None:
        assert t.primary_key is not None
        return ch.AddPrimaryKey(t.name, t.primary_key)
    if t.primary_key is None:
        return ch.DropPrimaryKey(t.name, c.primary_key)
    name = ctx.column_namer(c.name)
    t_cols = tuple(ctx.rules.column_key(x) for x in t.primary_key.columns)
    tp, cp = t.primary_key, c.primary_key
    stated = ctx.target.full_definitions and ctx.target.dialect == ctx.current.dialect
    if (
        t_cols != tuple(name(x) for x in cp.columns)
        or (_states_comment(ctx, tp.comment) and tp.comment != cp.comment)
        or (stated and tp.options != cp.options)
    ):
        return ch.ModifyPrimaryKey(t.name, c.primary_key, t.primary_key)
    return None


def _fk_key(ctx: Context, fk: ForeignKey, table: Table, side: Schema) -> tuple[object, ...]:
    """(columns, referenced table, referenced columns) in target-side keys."""
    tkey, ckey = ctx.rules.table_key, ctx.rules.column_key
    ref_key = tkey(fk.ref_table)
    ref_cols = fk.ref_columns
    if not ref_cols:  # `REFERENCES t` means t's primary key
        ref = side.table(fk.ref_table)
        ref_cols = ref.primary_key.columns if ref is not None and ref.primary_key else ()
    if side is ctx.target:
        return tuple(ckey(x) for x in fk.columns), ref_key, tuple(ckey(x) for x in ref_cols)
    name = ctx.column_namer(table.name)
    if ref_key in ctx.table_map:
        ref_name = ctx.column_namer(fk.ref_table)
        return tuple(name(x) for x in fk.columns), ctx.table_map[ref_key], tuple(ref_name(x) for x in ref_cols)
    # a dropped table cannot satisfy a target FK; one in neither schema (another schema's, or
    # dangling) is compared by name
    gone = "~" + ref_key if side.table(fk.ref_table) is not None else ref_key
    return tuple(name(x) for x in fk.columns), gone, tuple(ckey(x) for x in ref_cols)


def _diff_foreign_keys(ctx: Context, t: Table, c: Table) -> list[tuple[int, str, ch.Change]]:
    current: dict[tuple[object, ...], list[ForeignKey]] = {}
    for fk in c.foreign_keys:
        current.setdefault(_fk_key(ctx, fk, c, ctx.current), []).append(fk)
    out: list[tuple[int, str, ch.Change]] = []
    dialects = ctx.dialects
    deferrable = all(storage(d).deferrable_fks for d in dialects)
    seen: set[tuple[object, ...]] = set()
    for fk in sorted(t.foreign_keys, key=lambda f: f.name is None):  # a named twin first
        label = ch.fk_sql(fk)
        key = _fk_key(ctx, fk, t, ctx.target)
        found = current.get(key)
        twin = (*key, *_fk_behaviour(fk, dialects))
        if not found:
            if twin not in seen:
                out.append((ch.AddForeignKey.rank, label, ch.AddForeignKey(t.name, fk)))
            # else the same key declared twice in the target (on the column and again in
            # `__table_args__`): one constraint in the database enforces both
            seen.add(twin)
            continue
        seen.add(twin)
        old = found.pop(0)
        kinds = set()
        if fk_action(fk.on_delete, dialects) != fk_action(old.on_delete, dialects):
            kinds.add(ForeignKeyChange.ON_DELETE)
        if fk_action(fk.on_update, dialects) != fk_action(old.on_update, dialects):
            kinds.add(ForeignKeyChange.ON_UPDATE)
        if deferrable and (fk.deferrable, fk.initially_deferred) != (old.deferrable, old.initially_deferred):
            kinds.add(ForeignKeyChange.DEFERRABLE)
        # a NOT VALID key where the target's checks every row; the other way round the current
        # key already does more than the target asks, and only a drop could undo it
        if fk.validated and not old.validated:
            kinds.add(ForeignKeyChange.VALIDATED)
        if kinds:
            out.append((ch.ModifyForeignKey.rank, label, ch.ModifyForeignKey(t.name, old, fk, frozenset(kinds))))
    for left in current.values():
        out.extend((ch.DropForeignKey.rank, ch.fk_sql(fk), ch.DropForeignKey(t.name, fk)) for fk in left)
    return out


def _fk_behaviour(fk: ForeignKey, dialects: tuple[str, str]) -> tuple[object, ...]:
    """What a foreign key does besides its columns: two keys alike in this are one rule."""
    return (
        fk_action(fk.on_delete, dialects),
        fk_action(fk.on_update, dialects),
        fk.deferrable,
        fk.initially_deferred,
    )


def _diff_checks(ctx: Context, t: Table, c: Table) -> list[tuple[int, str, ch.Change]]:
    t_dialect, c_dialect = ctx.dialects
    renames = ctx.renames(c.name)
    targets = list(t.checks)
    currents = list(c.checks)
    if t_dialect == c_dialect:  # fast path: identical text naming no renamed column needs no parsing
        texts = [x.expression.strip() for x in currents]
        for check in list(targets):
            text = check.expression.strip()
            if text in texts and not any(old in text.lower() for old, _ in renames):
                i = texts.index(text)
                del texts[i], currents[i]
                targets.remove(check)
    keyed: dict[str, list[int]] = {}
    for i, check in enumerate(currents):
        keyed.setdefault(expression_key(check.expression, c_dialect, renames), []).append(i)
    used: set[int] = set()
    out: list[tuple[int, str, ch.Change]] = []
    for check in targets:
        hits = keyed.get(expression_key(check.expression, t_dialect), [])
        if hits:
            used.add(hits.pop(0))
        else:
            out.append((ch.AddCheck.rank, check.expression, ch.AddCheck(t.name, check)))
    out.extend(
        (ch.DropCheck.rank, x.expression, ch.DropCheck(t.name, x)) for i, x in enumerate(currents) if i not in used
    )
    return out


def _diff_table_facts(ctx: Context, t: Table, c: Table) -> ch.ModifyTable | None:
    """Comment when the target states it; storage options only within one dialect, since
    they mean nothing across dialects; the engine only where the target names one; the
    default charset and collation only where both sides state them (models and specs do not)."""
    kinds = set()
    if _states_comment(ctx, t.comment) and t.comment != c.comment and storage(ctx.current.dialect).has_comments:
        kinds.add(TableChange.COMMENT)
    to, co = t.options, c.options
    if ctx.target.dialect == ctx.current.dialect and (
        (to.strict, to.without_rowid, to.partitioned, to.unlogged)
        != (co.strict, co.without_rowid, co.partitioned, co.unlogged)
        or (to.engine is not None and to.engine.lower() != (co.engine or "").lower())
        or (to.partitioning and co.partitioning and partition_key(to.partitioning) != partition_key(co.partitioning))
        or _stated_differ(to.charset, co.charset)
        or _stated_differ(to.collation, co.collation)
    ):
        kinds.add(TableChange.OPTIONS)
    return ch.ModifyTable(t.name, c, t, frozenset(kinds)) if kinds else None


def _stated_differ(target: str | None, current: str | None) -> bool:
    return target is not None and current is not None and target.lower() != current.lower()
