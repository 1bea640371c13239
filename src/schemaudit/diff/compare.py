"""`compare(target, current, hints) -> Changes`: match first, then compare matched pairs.

Names are compared under combined identifier rules: case-insensitive wherever either side is
(a SQLite current against a PostgreSQL spec compares `Users` and `users` as one table), exact
only when both sides are case-sensitive. Inputs are never mutated; all work is on derived
dictionaries. Unchanged tables cost one value comparison, so the cost of a compare grows with
the size of the *difference*, plus one pass over both schemas.
"""

from __future__ import annotations

from collections import defaultdict

from schemaudit.diff import changes as ch
from schemaudit.diff.changes import FkRef
from schemaudit.diff.context import Context
from schemaudit.diff.hints import Hints
from schemaudit.diff.objects import compare_objects
from schemaudit.diff.renames import Matching, match_columns, match_tables
from schemaudit.diff.result import Changes, ColumnMatch, RenameCandidate, TableMatch
from schemaudit.diff.table_diff import diff_table, partition_keys, same_table
from schemaudit.identifiers import IdentifierRules
from schemaudit.model import Column, Schema, Table

_Item = tuple[str, int, str, str, ch.Change]
_OPERATION_ORDER = {"Rename": 0, "Add": 1, "Modify": 2, "Drop": 3}
# A column whose name differs from the target's only in case (where names are compared without
# it: MySQL, SQLite) is the same column; the catalog still prints the old spelling, so within
# one dialect it is renamed to the target's.
CASE_ONLY = ch.RenameEvidence(1.0, ("the names differ only in case",))


def _order(item: _Item) -> tuple[str, int, int, str]:
    """Table, then kind of object (rank), then add/modify/drop (drops last), then the item."""
    kind = item[3]
    op = next(v for k, v in _OPERATION_ORDER.items() if kind.startswith(k))
    return item[0], item[1], op, item[2]


def combined_rules(target: Schema, current: Schema) -> IdentifierRules:
    """Case-insensitive where either side is: the stricter side cannot tell two names apart
    that the other side would treat as one object."""
    return IdentifierRules(
        tables_case_sensitive=target.rules.tables_case_sensitive and current.rules.tables_case_sensitive,
        columns_case_sensitive=target.rules.columns_case_sensitive and current.rules.columns_case_sensitive,
    )


def referencing_fks(schema: Schema, table: str) -> tuple[FkRef, ...]:
    """Foreign keys anywhere in `schema` that point at `table` (downstream impact of a
    rename or a missing table), in table order."""
    key = schema.rules.table_key
    wanted = key(table)
    return tuple(FkRef(t.name, fk) for t in schema.tables for fk in t.foreign_keys if key(fk.ref_table) == wanted)


def _reference_index(schema: Schema, rules: IdentifierRules) -> dict[str, list[FkRef]]:
    index: dict[str, list[FkRef]] = defaultdict(list)
    for t in schema.tables:
        for fk in t.foreign_keys:
            index[rules.table_key(fk.ref_table)].append(FkRef(t.name, fk))
    return index


def compare(target: Schema, current: Schema, hints: Hints | None = None) -> Changes:
    """What must change in `current` to make it `target`, with the matching that was used."""
    hints = hints or Hints()
    rules = combined_rules(target, current)
    tkey, ckey = rules.table_key, rules.column_key
    dialects = (target.dialect, current.dialect)
    same_dialect = target.dialect == current.dialect
    tables = match_tables(target, current, rules, hints.tables)
    table_map = {tkey(c): tkey(t) for t, c, _ in tables.pairs}
    column_hints: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for table, old, new in hints.columns:
        column_hints[tkey(table)].append((old, new))
    unused = list(tables.unused_hints)
    hinted_tables: set[str] = set()

    matched: list[tuple[Table, Table, ch.RenameEvidence | None, Matching | None]] = []
    column_maps: dict[str, dict[str, str]] = {}
    for t_name, c_name, evidence in tables.pairs:
        t, c = target.table(t_name), current.table(c_name)
        assert t is not None and c is not None
        here = list(column_hints.get(tkey(c_name), []))
        if tkey(t_name) != tkey(c_name):
            here += column_hints.get(tkey(t_name), [])
        if here:
            hinted_tables.update({tkey(c_name), tkey(t_name)})
        elif same_table(t, c):  # the common case: an unchanged table, compared by value in one step
            matched.append((t, c, evidence, None))
            continue
        cols = _match_columns(t, c, rules, dialects, table_map, here)
        unused.extend(cols.unused_hints)
        if cols.dropped or any(ev is not None for _, _, ev in cols.pairs):
            column_maps[tkey(c_name)] = {ckey(cn): ckey(tn) for tn, cn, _ in cols.pairs}
        matched.append((t, c, evidence, cols))
    unused.extend(
        f"column {table}.{old}={new}" for table, old, new in hints.columns if tkey(table) not in hinted_tables
    )

    ctx = Context(target, current, rules, table_map, column_maps)
    items: list[_Item] = []
    needs_refs = tables.added or tables.dropped or any(ev is not None for _, _, ev in tables.pairs)
    t_refs = _reference_index(target, rules) if needs_refs else {}
    c_refs = _reference_index(current, rules) if needs_refs else {}
    column_matches: list[ColumnMatch] = []
    near: list[RenameCandidate] = list(tables.near_misses)
    for t, c, evidence, found in matched:
        k = tkey(t.name)
        if evidence is not None:
            rename = ch.RenameTable(t.name, c.name, t.name, evidence, tuple(c_refs.get(tkey(c.name), ())))
            items.append((k, rename.rank, "", "RenameTable", rename))
        if found is None:
            continue
        for t_col, c_col, col_ev in found.pairs:
            if col_ev is None and t_col != c_col and same_dialect:
                col_ev = CASE_ONLY  # one column to the database, spelled as the target spells it
            if col_ev is not None:
                rename_col = ch.RenameColumn(t.name, c_col, t_col, col_ev)
                items.append((k, rename_col.rank, t_col, "RenameColumn", rename_col))
                column_matches.append(ColumnMatch(t.name, t_col, c_col, col_ev))
        near.extend(found.near_misses)
        pairs, added, dropped = _resolve(t, c, found)
        for rank, label, change in diff_table(ctx, t, c, pairs, added, dropped):
            items.append((k, rank, label, type(change).__name__, change))
        items.extend(_partition_items(ctx, t, c))
    for name in tables.added:
        new_table = target.table(name)
        assert new_table is not None
        add = ch.AddTable(name, new_table, tuple(t_refs.get(tkey(name), ())), _other_kind(current, name))
        items.append((tkey(name), add.rank, "", "AddTable", add))
        items.extend(_partition_items(ctx, new_table, None))
    for name in tables.dropped:
        old_table = current.table(name)
        assert old_table is not None
        drop = ch.DropTable(name, old_table, tuple(c_refs.get(tkey(name), ())), _other_kind(target, name))
        items.append((tkey(name), drop.rank, "", "DropTable", drop))
    items.sort(key=_order)
    objects = compare_objects(target, current, rules, {c: t for t, c, _ in tables.pairs})
    return Changes(
        changes=tuple(i[4] for i in items) + tuple(objects),
        tables=tuple(sorted((TableMatch(t.name, c.name, ev) for t, c, ev, _ in matched), key=lambda m: tkey(m.target))),
        columns=tuple(sorted(column_matches, key=lambda m: (tkey(m.table), ckey(m.target)))),
        near_misses=tuple(sorted(near, key=lambda n: (n.kind, n.table or "", n.target, n.current))),
        unused_hints=tuple(sorted(set(unused))),
        target_dialect=target.dialect,
        current_dialect=current.dialect,
    )


def _partition_items(ctx: Context, t: Table, c: Table | None) -> list[_Item]:
    """The partitions' own keys and indexes, each under its partition's name."""
    key = ctx.rules.table_key
    return [(key(x.table), x.rank, "", type(x).__name__, x) for x in partition_keys(ctx, t, c)]


def _match_columns(
    t: Table,
    c: Table,
    rules: IdentifierRules,
    dialects: tuple[str, str],
    table_map: dict[str, str],
    hints: list[tuple[str, str]],
) -> Matching:
    key = rules.column_key
    if (
        not hints
        and len(t.columns) == len(c.columns)
        and all(key(a.name) == key(b.name) for a, b in zip(t.columns, c.columns, strict=True))
    ):
        return Matching(pairs=[(a.name, b.name, None) for a, b in zip(t.columns, c.columns, strict=True)])
    return match_columns(t, c, rules, dialects, table_map, hints)


def _resolve(t: Table, c: Table, cols: Matching) -> tuple[list[tuple[Column, Column]], list[Column], list[Column]]:
    t_by = {col.name: col for col in t.columns}
    c_by = {col.name: col for col in c.columns}
    pairs = [(t_by[tn], c_by[cn]) for tn, cn, _ in cols.pairs]
    return pairs, [t_by[n] for n in cols.added], [c_by[n] for n in cols.dropped]


# Kinds of object that stand where a table could: the same name is that object instead.
_TABLE_LIKE = frozenset({"virtual table", "view", "materialized view", "foreign table"})


def _other_kind(schema: Schema, table: str) -> str | None:
    """The kind of non-table object `schema` has under `table`'s name (an FTS virtual table
    on SQLite where PostgreSQL has a table): not a missing table, a different kind of one."""
    key = schema.rules.table_key(table)
    if any(schema.rules.table_key(v.name) == key for v in schema.objects.virtual_tables):
        return "virtual table"
    for obj in schema.not_audited:
        if obj.kind in _TABLE_LIKE and obj.table is None and schema.rules.table_key(obj.name) == key:
            return obj.kind
    return None
