"""Give each object of the replayed schema the revision file and line that made it.

The scratch database says what exists; the recorded operations (`history`) say
where it came from. Folding the operations in upgrade order (a rename moves what the table
or column had, a drop forgets it, a later alter_column moves the column's origin to the
alter) leaves, for every table, the line of each column, key, constraint and index. Objects
matched by name where names exist, by column list otherwise; anything not found (made by raw
SQL, or a SQLite batch rebuild) cites the line that created its table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from schemaudit.identifiers import IdentifierRules
from schemaudit.model import Origin, Schema, Table
from schemaudit.sources.alembic.history import CREATED, History, OpRecord, Part

_Key = Callable[[str], str]


@dataclass
class _Lines:
    """Where one table's objects were defined (mutable only while folding)."""

    table: Origin | None = None
    columns: dict[str, Origin] = field(default_factory=dict)
    keyed: list[tuple[str, str | None, tuple[str, ...], Origin]] = field(default_factory=list)  # kind, name, cols

    def add(self, kind: str, name: str | None, columns: tuple[str, ...], origin: Origin) -> None:
        self.keyed.append((kind, name, columns, origin))

    def find(self, kind: str, name: str | None, columns: tuple[str, ...], rules: IdentifierRules) -> Origin | None:
        """Latest match by name, else by column list."""
        ckey = rules.column_key
        for k, n, _, origin in reversed(self.keyed):
            if k == kind and name and n and ckey(n) == ckey(name):
                return origin
        wanted = tuple(ckey(c) for c in columns)
        for k, _, cols, origin in reversed(self.keyed):
            if k == kind and wanted and tuple(ckey(c) for c in cols) == wanted:
                return origin
        return None


def fold(history: History, rules: IdentifierRules) -> dict[str, _Lines]:
    """Table key -> where its objects were defined, after all revisions."""
    tables: dict[str, _Lines] = {}
    key, ckey = rules.table_key, rules.column_key
    for revision in history.revisions:
        for op in revision.ops:
            at = Origin(revision.path, op.line or None)
            if op.table is None:
                if op.action == "drop_index" and op.name:
                    for lines in tables.values():
                        lines.keyed = [k for k in lines.keyed if not (k[0] == "index" and k[1] == op.name)]
                continue
            _apply(tables, key(op.table), op, at, revision.path, key, ckey)
    return tables


def _apply(tables: dict[str, _Lines], t: str, op: OpRecord, at: Origin, path: str, key: _Key, ckey: _Key) -> None:
    action = op.action
    if action == "drop_table" or (action == "execute" and op.effect == "dropped"):
        tables.pop(t, None)
        return
    if action == "create_table" or (action == "execute" and op.effect == CREATED):
        tables[t] = _Lines(table=at)
        for part in op.parts:
            _part(tables[t], part, path, ckey)
        return
    lines = tables.setdefault(t, _Lines(table=at))
    if action == "rename_table" and op.new_name:
        moved = tables.pop(t)
        moved.table = at
        tables[key(op.new_name)] = moved
    elif action == "add_column" and op.name:
        lines.columns[ckey(op.name)] = at
        for part in op.parts:
            lines.add(part.kind, part.name, part.columns, at)
    elif action == "alter_column" and op.name:
        lines.columns.pop(ckey(op.name), None)
        lines.columns[ckey(op.new_name or op.name)] = at
    elif action == "drop_column" and op.name:
        lines.columns.pop(ckey(op.name), None)
    elif action == "create_index":
        lines.add("index", op.name, op.columns, at)
    elif action == "create_foreign_key":
        lines.add("foreign_key", op.name, op.columns, at)
    elif action == "create_unique_constraint":
        lines.add("unique", op.name, op.columns, at)
    elif action == "create_check_constraint":
        lines.add("check", op.name, op.columns, at)
    elif action == "create_primary_key":
        lines.add("primary_key", op.name, op.columns, at)
    elif action in ("drop_constraint", "drop_index") and op.name:
        lines.keyed = [k for k in lines.keyed if k[1] != op.name]


def _part(lines: _Lines, part: Part, path: str, ckey: _Key) -> None:
    at = Origin(path, part.line or None)
    if part.kind == "column" and part.name:
        lines.columns[ckey(part.name)] = at
    else:
        lines.add(part.kind, part.name, part.columns, at)


def with_origins(schema: Schema, history: History) -> Schema:
    """`schema` with origins set from the history (objects it has no record of keep the
    origin of their table)."""
    rules = schema.rules
    found = fold(history, rules)
    return replace(schema, tables=tuple(_table(t, found.get(rules.table_key(t.name)), rules) for t in schema.tables))


def _table(table: Table, lines: _Lines | None, rules: IdentifierRules) -> Table:
    if lines is None:
        return table
    base = lines.table
    ckey = rules.column_key

    def pick(origin: Origin | None) -> Origin | None:
        return origin or base

    pk = table.primary_key
    return replace(
        table,
        origin=base,
        columns=tuple(replace(c, origin=pick(lines.columns.get(ckey(c.name)))) for c in table.columns),
        primary_key=replace(
            pk, origin=pick(lines.find("primary_key", pk.name, pk.columns, rules) or _col(lines, pk.columns, rules))
        )
        if pk
        else None,
        foreign_keys=tuple(
            replace(f, origin=pick(lines.find("foreign_key", f.name, f.columns, rules))) for f in table.foreign_keys
        ),
        uniques=tuple(replace(u, origin=pick(lines.find("unique", u.name, u.columns, rules))) for u in table.uniques),
        checks=tuple(replace(c, origin=pick(lines.find("check", c.name, (), rules))) for c in table.checks),
        indexes=tuple(replace(i, origin=pick(lines.find("index", i.name, i.columns, rules))) for i in table.indexes),
    )


def _col(lines: _Lines, columns: tuple[str, ...], rules: IdentifierRules) -> Origin | None:
    return lines.columns.get(rules.column_key(columns[0])) if columns else None
