"""The readable terminal view of one schema (`schemaudit inspect`), drawn with rich.

Every name and text from the schema reaches rich escaped (`_name`, `_text`): rich would
interpret `[...]` as markup and drop BEL, BS, VT, FF and CR, so `cr\\rcol` would show as
`crcol`; escaped, a coloured view shows `cr\\rcol` as the other reports do."""

from __future__ import annotations

from rich.console import Console, Group, RenderableType
from rich.markup import escape
from rich.table import Table as RichTable
from rich.text import Text

from schemaudit.model import Column, Index, Partition, Schema, Table
from schemaudit.model_objects import listing
from schemaudit.terminal import visible, visible_line


def render(schema: Schema, console: Console) -> None:
    console.print(_header(schema))
    for table in schema.tables:
        console.print(_table_view(table))
    if schema.objects.count():
        console.print(_objects(schema))
    if schema.not_audited:
        console.print(_not_audited(schema))


def _header(schema: Schema) -> Text:
    text = Text()
    text.append("schema ", style="bold")
    text.append(visible_line(schema.origin or "(unknown origin)"), style="cyan")
    if schema.name:
        text.append(f"  [{visible_line(schema.name)}]")
    columns = sum(len(t.columns) for t in schema.tables)
    text.append(f"\ndialect {schema.dialect}, {_count(len(schema.tables), 'table')}, {_count(columns, 'column')}")
    if schema.objects.count():
        text.append(f", {_count(schema.objects.count(), 'other object')}")
    if schema.not_audited:
        text.append(f", {_count(len(schema.not_audited), 'object')} not audited", style="yellow")
    return text


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _table_view(table: Table) -> RenderableType:
    title = _name(table.name)
    if table.comment:
        title += f" — {_text(table.comment)}"
    options = _options(table)
    if options:
        title += f" ({_text(options)})"
    grid = RichTable(title=title, title_justify="left", title_style="bold", expand=False)
    for heading in ("column", "type", "null", "default", "notes"):
        grid.add_column(heading, overflow="fold")
    pk = set(table.primary_key.columns) if table.primary_key else set()
    for col in table.columns:
        grid.add_row(
            _name(col.name),
            _text(col.type.raw or "(none)"),
            "" if col.nullable else "NOT NULL",
            _text(col.default or ""),
            _text(_column_notes(col, col.name in pk)),
        )
    return Group(grid, *_constraint_lines(table), Text(""))


def _options(table: Table) -> str:
    opts = table.options
    words = [
        word
        for flag, word in (
            (opts.strict, "STRICT"),
            (opts.without_rowid, "WITHOUT ROWID"),
            (opts.partitioned, "partitioned"),
        )
        if flag
    ]
    if opts.engine:
        words.append(f"engine {opts.engine}")
    return ", ".join(words)


def _column_notes(col: Column, in_pk: bool) -> str:
    notes = []
    if in_pk:
        notes.append("PK")
    if col.identity:
        seq = f" ({col.identity.sequence})" if col.identity.sequence else ""
        notes.append(f"identity {col.identity.kind}{seq}")
    if col.generated:
        kind = "stored" if col.generated.stored else "virtual"
        notes.append(f"generated {kind}: {col.generated.expression}")
    if col.collation:
        notes.append(f"collate {col.collation}")
    if col.comment:
        notes.append(f"— {col.comment}")
    return "; ".join(notes)


def _constraint_lines(table: Table) -> list[Text]:
    lines: list[str] = []
    if table.primary_key and len(table.primary_key.columns) > 1:
        lines.append(f"primary key {_named(table.primary_key.name)}({', '.join(table.primary_key.columns)})")
    for fk in table.foreign_keys:
        actions = "".join(
            f" ON {verb} {action}"
            for verb, action in (("DELETE", fk.on_delete), ("UPDATE", fk.on_update))
            if action != "NO ACTION"
        )
        if fk.deferrable:
            actions += " DEFERRABLE" + (" INITIALLY DEFERRED" if fk.initially_deferred else "")
        lines.append(
            f"foreign key {_named(fk.name)}({', '.join(fk.columns)}) → "
            f"{fk.ref_table}({', '.join(fk.ref_columns)}){actions}"
        )
    for uq in table.uniques:
        lines.append(f"unique {_named(uq.name)}({', '.join(uq.columns)})")
    for ix in table.indexes:
        lines.append(_index_line(ix))
    for ck in table.checks:
        lines.append(f"check {_named(ck.name)}{ck.expression}")
    if table.options.partitioned and table.options.partitioning and table.partitions:
        lines.append(table.options.partitioning)
    lines.extend(_partition_lines(table.partitions, 1))
    return [Text("  " + visible(line)) for line in lines]


def _partition_lines(partitions: tuple[Partition, ...], depth: int) -> list[str]:
    """One line a partition, sub-partitions indented below theirs."""
    out = []
    for p in partitions:
        sub = f", {p.partitioning}" if p.partitioning else ""
        out.append(f"{'  ' * (depth - 1)}partition {p.name} {p.bound}{sub}")
        out.extend(_partition_lines(p.partitions, depth + 1))
    return out


def _index_line(ix: Index) -> str:
    parts = [e.expr + (" DESC" if e.descending else "") for e in ix.elements]
    text = f"{'unique ' if ix.unique else ''}index {ix.name}({', '.join(parts)})"
    if ix.method and ix.method not in ("btree", "BTREE"):
        text += f" using {ix.method}"
    if ix.include:
        text += f" include ({', '.join(ix.include)})"
    if ix.where:
        text += f" where {ix.where}"
    return text


def _named(name: str | None) -> str:
    return f"{name} " if name else ""


def _not_audited(schema: Schema) -> RenderableType:
    grid = RichTable(title="not audited (listed, not compared)", title_justify="left", title_style="yellow")
    grid.add_column("kind")
    grid.add_column("name", overflow="fold")
    grid.add_column("table")
    reasons = any(obj.reason for obj in schema.not_audited)
    if reasons:
        grid.add_column("why", overflow="fold")
    for obj in schema.not_audited:
        why = (_name(obj.reason or ""),) if reasons else ()
        grid.add_row(obj.kind, _name(obj.name), _name(obj.table or ""), *why)
    return grid


def _objects(schema: Schema) -> RenderableType:
    grid = RichTable(title="other objects", title_justify="left", title_style="bold")
    for heading in ("kind", "name", "table", "details"):
        grid.add_column(heading, overflow="fold")
    for kind, name, table, detail in listing(schema.objects):
        grid.add_row(kind, _name(name), _name(table or ""), _text(detail))
    return grid


def _name(name: str) -> str:
    """A name as rich markup: its control characters escaped (newline and tab too)."""
    return escape(visible_line(name))


def _text(text: str) -> str:
    """A default, comment or expression as rich markup: control characters escaped, its
    newlines kept."""
    return escape(visible(text))
