"""Unique constraints and indexes of one table pair, matched by content.

Equivalences (each one a real database behaviour, not a convenience):
- a UNIQUE constraint and a unique index on the same plain columns without WHERE are the
  same object (MySQL makes no distinction; PostgreSQL and SQLite enforce both identically);
- an index is *served* by a UNIQUE constraint or PRIMARY KEY on the same columns wherever the
  dialect backs those with an index (all three do): the target's index is then reported as
  `AddIndex(satisfied_by_unique=...)`, intent-only drift, never as a plain missing index;
- indexes compare by `index_key.index_key` (elements, uniqueness, WHERE, method, INCLUDE;
  operator class, collation and NULLS ordering when both sides are one dialect).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from schemaudit.diff import changes as ch
from schemaudit.diff.context import Context
from schemaudit.diff.index_key import collation_key, index_key, opclass_key
from schemaudit.diff.normalize import storage
from schemaudit.model import Index, Table, UniqueConstraint

_Fact = tuple[tuple[str, ...], UniqueConstraint | Index]


def _plain_unique(index: Index) -> bool:
    """A unique index that is the same object as a UNIQUE constraint: whole plain columns, no
    WHERE, no MySQL prefix length (`UNIQUE KEY (name(10))` constrains only the prefix), no
    comment or option (a constraint has none to keep)."""
    return (
        index.unique
        and index.where is None
        and index.comment is None
        and not index.options
        and all(not e.is_expression and not e.length for e in index.elements)
    )


def diff_indexes(ctx: Context, t: Table, c: Table) -> list[ch.Change]:
    key = ctx.rules.column_key
    name = ctx.column_namer(c.name)
    out: list[ch.Change] = []
    # 1. uniqueness facts: constraints and plain unique indexes, matched by column set
    t_facts: list[_Fact] = [(tuple(sorted(key(x) for x in u.columns)), u) for u in t.uniques]
    t_facts += [(tuple(sorted(key(x) for x in i.columns)), i) for i in t.indexes if _plain_unique(i)]
    c_facts: list[_Fact] = [(tuple(sorted(name(x) for x in u.columns)), u) for u in c.uniques]
    c_facts += [(tuple(sorted(name(x) for x in i.columns)), i) for i in c.indexes if _plain_unique(i)]
    consumed_t: set[int] = set()
    consumed_c: set[int] = set()
    for i, (cols, obj) in enumerate(t_facts):
        hits = [j for j, (ccols, _) in enumerate(c_facts) if ccols == cols and j not in consumed_c]
        if hits:
            same_kind = [j for j in hits if type(c_facts[j][1]) is type(obj)]
            consumed_c.add((same_kind or hits)[0])
            consumed_t.add(i)
    for i, (_, obj) in enumerate(t_facts):
        if i not in consumed_t and isinstance(obj, UniqueConstraint):
            out.append(ch.AddUnique(t.name, obj))
    for j, (_, obj) in enumerate(c_facts):
        if j not in consumed_c and isinstance(obj, UniqueConstraint):
            out.append(ch.DropUnique(t.name, obj))
    done_t = {id(obj) for i, (_, obj) in enumerate(t_facts) if i in consumed_t}
    done_c = {id(obj) for j, (_, obj) in enumerate(c_facts) if j in consumed_c}
    # 2. indexes by content
    t_rest = [i for i in t.indexes if id(i) not in done_t]
    c_rest = [i for i in c.indexes if id(i) not in done_c]
    t_dialect, c_dialect = ctx.dialects
    full = t_dialect == c_dialect
    stated = ctx.target.full_definitions  # else a target without them says nothing about them
    renames = ctx.renames(c.name)
    c_keys: dict[tuple[object, ...], list[Index]] = {}
    for idx in c_rest:
        c_keys.setdefault(index_key(idx, name, c_dialect, renames, full, stated), []).append(idx)
    iname = ctx.rules.table_key
    # an index with the target's name and content is that index, whatever else shares the
    # content (`i_plain(a, b)` beside `i_part(a, b)`); content alone pairs the rest (renames),
    # never taking an index another target index is named for
    t_keys = [(idx, index_key(idx, key, t_dialect, (), full, stated)) for idx in t_rest]
    target_names = {iname(i.name) for i in t_rest if i.name}
    missing: list[Index] = []
    unmatched: list[tuple[Index, tuple[object, ...]]] = []
    for idx, k in t_keys:
        same = c_keys.get(k, [])
        named = next((x for x in same if idx.name and x.name and iname(x.name) == iname(idx.name)), None)
        if named is not None:
            same.remove(named)
        else:
            unmatched.append((idx, k))
    for idx, k in unmatched:
        same = c_keys.get(k, [])
        if same:
            free = [x for x in same if not x.name or iname(x.name) not in target_names]
            found = (free or same)[0]
            same.remove(found)
            chosen = not (_default_name(t.name, idx) or _default_name(c.name, found))
            if full and idx.name and found.name and chosen:
                # same definition, another name: a later migration that names the index fails
                out.append(ch.ModifyIndex(t.name, found, idx, name_only=True))
        else:
            missing.append(idx)
    extra = [i for left in c_keys.values() for i in left]
    extra.sort(key=lambda i: i.name)
    # 3. served by a unique constraint / primary key; then pair changed indexes by name or lead
    unpaired: list[Index] = []
    for idx in missing:
        served = implicit_index_for(ctx, t, c, idx, kept=done_c)
        if served is not None:
            out.append(ch.AddIndex(t.name, idx, satisfied_by_unique=served))
        else:
            unpaired.append(idx)

    def by_name(index: Index, _: Callable[[str], str]) -> str | None:
        return iname(index.name) if index.name else None

    for pair_key in (by_name, _lead):
        for idx in list(unpaired):
            wanted = pair_key(idx, key)
            old = next((x for x in extra if wanted is not None and pair_key(x, name) == wanted), None)
            if old is not None:
                out.append(ch.ModifyIndex(t.name, old, idx))
                extra.remove(old)
                unpaired.remove(idx)
    out.extend(ch.AddIndex(t.name, idx) for idx in unpaired)
    out.extend(
        ch.DropIndex(t.name, idx, required_by_fk=_backed_fk(ctx, c, idx))
        for idx in extra
        if not _implicit_fk_index(ctx, t, c, idx)
    )
    return out


_IBFK = re.compile(r"_ibfk_\d+$")


def _default_name(table: str, index: Index) -> bool:
    """Whether an index's name is the one a database gives an unnamed index (PostgreSQL's
    `table_col1_col2_idx`, which sources that read unnamed indexes fill in; MySQL's first
    column, or the `t_ibfk_1` of the foreign key InnoDB made it for): a name nobody chose is
    no drift."""
    name = index.name.lower()
    plain = [e.expr.lower() for e in index.elements if not e.is_expression]
    if (plain and name == plain[0]) or _IBFK.search(name):
        return True
    suffix = "key" if index.unique else "idx"
    base = f"{table.lower()}_{'_'.join(plain) or 'expr'}"
    return name == f"{base[: 63 - len(suffix) - 1]}_{suffix}"


def _lead(index: Index, name: Callable[[str], str]) -> str | None:
    first = index.elements[0] if index.elements else None
    return None if first is None or first.is_expression else "c:" + name(first.expr)


def implicit_index_for(ctx: Context, t: Table, c: Table, index: Index, kept: set[int] | None = None) -> str | None:
    """The UNIQUE constraint or PRIMARY KEY (current first, then target: it will be added)
    whose implicit index serves `index`, as a label; None if there is none. Only plain,
    non-partial indexes qualify, with the same columns in the same order.

    On the current side only what stays counts: the uniques `kept` (ids of the current
    objects matched to the target; all when None) and a primary key the target keeps. An
    index never serves itself: a target unique index is work, not its own excuse. A unique
    constraint's index is a btree on the bare columns: it serves no gin or hash index, no
    index under an operator class or collation, and no covering index (INCLUDE)."""
    if index.where is not None or any(e.is_expression or e.descending or e.length for e in index.elements):
        return None
    if (index.method or "btree").lower() != "btree" or index.include:
        return None
    if any(opclass_key(e, index.method) or collation_key(e) for e in index.elements):
        return None
    key = ctx.rules.column_key
    wanted = tuple(key(x) for x in index.columns)
    c_name = ctx.column_namer(c.name)
    t_pk = tuple(key(x) for x in t.primary_key.columns) if t.primary_key else None
    sides = ((c, c_name, ctx.current.dialect, ""), (t, key, ctx.target.dialect, " (to be added)"))
    for table, name, dialect, suffix in sides:
        if not storage(dialect).implicit_unique_index:
            continue
        current_side = table is c
        owners: list[tuple[tuple[str, ...], str]] = [
            (u.columns, u.name or f"UNIQUE ({', '.join(u.columns)})")
            for u in table.uniques
            if not current_side or kept is None or id(u) in kept
        ]
        owners += [
            (i.columns, i.name)
            for i in table.indexes
            if _plain_unique(i) and i is not index and (not current_side or kept is None or id(i) in kept)
        ]
        pk = table.primary_key
        # a current primary key serves while it stays: the target keeps it, or has none to
        # put in its place (SQLite `INTEGER PRIMARY KEY` where PostgreSQL has a unique index)
        if pk is not None and (not current_side or t_pk is None or tuple(name(x) for x in pk.columns) == t_pk):
            owners.append((pk.columns, pk.name or f"PRIMARY KEY ({', '.join(pk.columns)})"))
        for cols, label in owners:
            if tuple(name(x) for x in cols) == wanted:
                return label + suffix
    return None


def _implicit_fk_index(ctx: Context, t: Table, c: Table, index: Index) -> bool:
    """InnoDB's own index for a foreign key no index starts with: exactly the key's columns,
    named after the constraint (or its first column when unnamed). The server made it because
    the target's foreign key needs one (`create_all` gets the same), so it is no extra index,
    as long as the target has that foreign key."""
    if not storage(ctx.current.dialect).fk_needs_index or index.unique or index.where or index.method:
        return False
    if any(e.is_expression or e.length or e.descending for e in index.elements):
        return False
    key, iname = ctx.rules.column_key, ctx.rules.table_key
    cols = tuple(key(x) for x in index.columns)
    target_fks = {tuple(key(x) for x in fk.columns) for fk in t.foreign_keys}
    for fk in c.foreign_keys:
        fk_cols = tuple(key(x) for x in fk.columns)
        auto_names = {iname(n) for n in (fk.name, fk.columns[0]) if n}  # `c2_ibfk_1` keys get the column's name
        if cols == fk_cols and iname(index.name) in auto_names and fk_cols in target_fks:
            return True
    return False


def _backed_fk(ctx: Context, c: Table, index: Index) -> str | None:
    """Where the current dialect needs an index per foreign key (MySQL), the FK this one backs."""
    if not storage(ctx.current.dialect).fk_needs_index:
        return None
    key = ctx.rules.column_key
    cols = tuple(key(x) for x in index.columns)
    for fk in c.foreign_keys:
        fk_cols = tuple(key(x) for x in fk.columns)
        if cols[: len(fk_cols)] == fk_cols:
            return fk.name or ch.fk_sql(fk)
    return None
