"""The per-table sections of the markdown report: `Column | Current | Target | Gap` tables,
then foreign keys (with ON DELETE), indexes, unique and check constraints side by side.

Rows come from the two tables; every gap cell comes from the findings of the change that row
shows (`Audit.by_item`), so a cell can never disagree with the issues list, and a rule a
project turned off leaves its cells clean.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from schemaudit.audit.findings import Finding, Severity
from schemaudit.audit.result import Audit, TableState, TableStatus
from schemaudit.audit.rules import REGISTRY
from schemaudit.diff import changes as ch
from schemaudit.diff.compare import combined_rules
from schemaudit.diff.result import ColumnMatch
from schemaudit.identifiers import IdentifierRules
from schemaudit.model import Column, ForeignKey, Table
from schemaudit.report import md
from schemaudit.report.common import EXTRA, ICON, OK

Row = tuple[str, str, str, str]
# Constraint changes a column row also shows, because its cells show FK and UNIQUE.
_COLUMN_KEYS = (ch.AddForeignKey, ch.DropForeignKey, ch.ModifyForeignKey, ch.AddUnique, ch.DropUnique)


@dataclass(frozen=True, slots=True)
class TableView:
    """One matched table pair and what the report needs to lay it out."""

    audit: Audit
    status: TableStatus
    target: Table
    current: Table
    changes: tuple[ch.Change, ...]
    findings: dict[object, tuple[Finding, ...]]
    renamed: dict[str, str]  # target column key -> current column name
    rules: IdentifierRules
    back: dict[str, str]  # current column key -> target column name

    def key(self, name: str) -> str:
        return self.rules.column_key(name)

    def to_target(self, current_name: str) -> str:
        return self.back.get(self.key(current_name), current_name)


@dataclass(frozen=True, slots=True)
class Lookup:
    """What each table's section looks up, sorted by table once per report: looked for in
    every change again for each table, it made a report of hundreds of tables with gaps
    grow with the square of their number."""

    findings: dict[object, tuple[Finding, ...]]
    changes: dict[str, tuple[ch.Change, ...]]
    columns: dict[str, tuple[ColumnMatch, ...]]  # renamed columns by target table
    rules: IdentifierRules

    @classmethod
    def of(cls, audit: Audit, findings: dict[object, tuple[Finding, ...]]) -> Lookup:
        changes: dict[str, list[ch.Change]] = {}
        for change in audit.changes.changes:
            changes.setdefault(change.table, []).append(change)
        columns: dict[str, list[ColumnMatch]] = {}
        for match in audit.changes.columns:
            columns.setdefault(match.table, []).append(match)
        return cls(
            findings,
            {k: tuple(v) for k, v in changes.items()},
            {k: tuple(v) for k, v in columns.items()},
            combined_rules(audit.target, audit.current),
        )


def table_view(audit: Audit, status: TableStatus, look: Lookup) -> TableView:
    target = audit.target.table(status.target or "")
    current = audit.current.table(status.current or "")
    assert target is not None and current is not None
    rules = look.rules
    matches = look.columns.get(status.name, ())
    renamed = {rules.column_key(m.target): m.current for m in matches}
    back = {rules.column_key(m.current): m.target for m in matches}
    changes = look.changes.get(status.name, ())
    return TableView(audit, status, target, current, changes, look.findings, renamed, rules, back)


# ---- cells -------------------------------------------------------------------------------


def column_desc(table: Table, col: Column) -> str:
    """`TEXT PK NOT NULL DEFAULT 1 UNIQUE FK → users(id)`: the column as a reviewer reads it."""
    parts = [col.type.raw or "(no type)"]
    pk = table.primary_key.columns if table.primary_key else ()
    if col.name in pk:
        parts.append("PK" if len(pk) == 1 else "PK part")
    if not col.nullable:
        parts.append("NOT NULL")
    if col.default is not None:
        parts.append(f"DEFAULT {col.default}")
    if any(u.columns == (col.name,) for u in table.uniques):
        parts.append("UNIQUE")
    for fk in table.foreign_keys:
        if fk.columns == (col.name,):
            parts.append(f"FK → {fk_target(fk)}")
    return " ".join(parts)


def fk_target(fk: ForeignKey) -> str:
    ref = f"{fk.ref_table}({', '.join(fk.ref_columns)})" if fk.ref_columns else fk.ref_table
    text = f"{ref} ON DELETE {fk.on_delete}"
    return text + (f" ON UPDATE {fk.on_update}" if fk.on_update != "NO ACTION" else "")


def gap_phrase(finding: Finding, change: object) -> str:
    """One finding as a short gap cell entry, the icon carrying its severity."""
    icon = ICON[finding.severity]
    if isinstance(change, ch.RenameColumn):
        return f"{icon} **Rename** {md.code(change.from_)} → {md.code(change.to)}"
    if isinstance(change, ch.AddColumn):
        return f"{icon} **Add** {md.code(change.to.name)}"
    if isinstance(change, ch.DropColumn) and finding.severity is Severity.INFO:
        return f"{EXTRA} Extra — safe to keep"
    if (
        isinstance(change, ch.ModifyColumn)
        and change.type_relation is ch.TypeRelation.EQUIVALENT
        and finding.code == "SA124"
    ):
        return f"{OK} OK ({md.text(change.note or 'equivalent storage')})"
    return f"{icon} {md.text(REGISTRY[finding.code].title)}"


def gap_cell(view: TableView, changes: Sequence[object]) -> str:
    phrases = [gap_phrase(f, c) for c in changes for f in view.findings.get(c, ())]
    return "; ".join(phrases) if phrases else OK


# ---- sections ----------------------------------------------------------------------------


def column_rows(view: TableView) -> list[Row]:
    """One row per target column (then the dropped ones): name, current, target, gap. A row
    whose gap cell matches (`_matches`) leaves its current and target cells empty: the reports
    only name matching columns, and describing every column of a big table was most of the
    work of laying out its section."""
    rows: list[Row] = []
    about_column: dict[str, list[object]] = {}  # target column key -> its column changes, in order
    for c in view.changes:
        if isinstance(c, (ch.RenameColumn, ch.ModifyColumn, ch.AddColumn)):
            about_column.setdefault(view.key(_target_name(c)), []).append(c)
    keys = [(c, _named_columns(view, c)) for c in view.changes if isinstance(c, _COLUMN_KEYS)]
    current: dict[str, Column] = {}
    for column in view.current.columns:  # the first of a name, as Table.column finds it
        current.setdefault(view.key(column.name), column)
    for tc in view.target.columns:
        key = view.key(tc.name)
        about = about_column.get(key, [])
        if keys:
            about = [*about, *(c for c, named in keys if key in named)]
        gap = gap_cell(view, about) if about else OK
        name = md.code(tc.name)
        if _matching_gap(gap):
            rows.append((name, "", "", gap))
            continue
        cc = current.get(view.key(view.renamed.get(key, tc.name)))
        target_cell = md.code(column_desc(view.target, tc))
        if cc is None:
            rows.append((name, "*(missing)*", target_cell, gap))
            continue
        prefix = f"{md.code(cc.name)} " if view.key(cc.name) != key else ""
        rows.append((name, prefix + md.code(column_desc(view.current, cc)), target_cell, gap))
    for change in view.changes:
        if isinstance(change, ch.DropColumn):
            rows.append(
                (
                    md.code(change.from_.name),
                    md.code(column_desc(view.current, change.from_)),
                    "*(not in target)*",
                    gap_cell(view, [change]),
                )
            )
    return rows


def _matches(row: Row) -> bool:
    return _matching_gap(row[3])


def _matching_gap(gap: str) -> bool:
    return gap == OK or gap.startswith(f"{OK} ")


def column_table(view: TableView, rows: list[Row] | None = None) -> list[str]:
    """The columns with a gap as a table; the matching ones named on one line (their
    storage-equivalent notes are listed once, under storage-equivalent types). `rows`:
    `column_rows(view)` when the caller has them already."""
    rows = column_rows(view) if rows is None else rows
    gaps = [r for r in rows if not _matches(r)]
    matched = [r[0] for r in rows if _matches(r)]
    lines = md.table(("Column", "Current", "Target", "Gap"), gaps) if gaps else []
    if matched:
        lines += [*([""] if lines else []), f"**Columns matching ({len(matched)}):** {', '.join(matched)}"]
    return lines


def _named_columns(view: TableView, change: object) -> set[str]:
    """The keys of the target columns a constraint change's findings are about (each finding's
    column by its target or current name)."""
    names = [f.column for f in view.findings.get(change, ()) if f.column]
    return {view.key(n) for n in names} | {view.key(view.to_target(n)) for n in names}


def _target_name(change: ch.RenameColumn | ch.ModifyColumn | ch.AddColumn) -> str:
    return change.to if isinstance(change, ch.RenameColumn) else change.to.name


def _side_by_side(
    view: TableView,
    target_items: Sequence[Any],
    label: Callable[[Any], str],
    render: Callable[[Any], str],
    kinds: tuple[type, type, type | None],
) -> list[Row]:
    """Rows for one kind of constraint: target items in order (missing, changed or matching),
    then current-only items. A matching item's row leaves its current and target cells empty,
    as `column_rows` does: the reports only name what matches."""
    add, drop, modify = kinds
    wanted = (add, modify) if modify else (add,)
    changed = [c for c in view.changes if isinstance(c, wanted)]
    rows: list[Row] = []
    for item in target_items:
        change: Any = next((c for c in changed if getattr(c, "to", None) == item), None) if changed else None
        if change is None:
            rows.append((label(item), "", "", OK))
        elif isinstance(change, add):
            rows.append((label(item), "—", md.code(render(item)), gap_cell(view, [change])))
        else:
            rows.append((label(item), md.code(render(change.from_)), md.code(render(item)), gap_cell(view, [change])))
    for dropped in view.changes:
        if isinstance(dropped, drop):
            gone: Any = dropped
            rows.append((label(gone.from_), md.code(render(gone.from_)), "—", gap_cell(view, [gone])))
    return rows


def constraint_sections(view: TableView, column_rows_: list[Row] | None = None) -> list[str]:
    """Foreign keys, indexes, unique and check constraints, each only when a side has some
    (`column_rows_`: the table's `column_rows`, when the caller has them already)."""
    t, c = view.target, view.current
    lines: list[str] = []

    sections: list[tuple[str, tuple[str, ...], list[Row]]] = []
    if t.foreign_keys or c.foreign_keys:
        sections.append(
            (
                "Foreign keys",
                ("Columns", "Current", "Target", "Gap"),
                _side_by_side(
                    view,
                    t.foreign_keys,
                    lambda fk: md.code(", ".join(fk.columns)),
                    lambda fk: "→ " + fk_target(fk),
                    (ch.AddForeignKey, ch.DropForeignKey, ch.ModifyForeignKey),
                ),
            )
        )
    if t.indexes or c.indexes:
        sections.append(
            (
                "Indexes",
                ("Index", "Current", "Target", "Gap"),
                _side_by_side(
                    view,
                    t.indexes,
                    lambda ix: md.code(ix.name),
                    ch.index_sql,
                    (ch.AddIndex, ch.DropIndex, ch.ModifyIndex),
                ),
            )
        )
    if t.uniques or c.uniques:
        sections.append(
            (
                "Unique constraints",
                ("Columns", "Current", "Target", "Gap"),
                _side_by_side(
                    view,
                    t.uniques,
                    lambda u: md.code(", ".join(u.columns)),
                    lambda u: f"UNIQUE ({', '.join(u.columns)})",
                    (ch.AddUnique, ch.DropUnique, None),
                ),
            )
        )
    if t.checks or c.checks:
        sections.append(
            (
                "Check constraints",
                ("Name", "Current", "Target", "Gap"),
                _side_by_side(
                    view,
                    t.checks,
                    lambda k: md.code(k.name) if k.name else "—",
                    lambda k: f"CHECK ({k.expression})",
                    (ch.AddCheck, ch.DropCheck, None),
                ),
            )
        )
    # a one-column foreign key whose gap the column table already states is not stated twice
    rows_of_columns = column_rows(view) if column_rows_ is None else column_rows_
    column_gaps = {r[0]: r[3] for r in rows_of_columns if not _matches(r)}
    for title, headers, rows in sections:
        gaps = [r for r in rows if not _matches(r)]
        if title == "Foreign keys":
            gaps = [r for r in gaps if not (r[0] in column_gaps and r[3] in column_gaps[r[0]])]
        if gaps:
            lines.extend(["", f"**{title}:**", "", *md.table(headers, gaps)])
        matched = [r[0] for r in rows if _matches(r)]
        if matched:  # what matches is named, on one line: a table of ✅ rows hides the gaps
            lines.extend(["", f"**{title} matching ({len(matched)}):** {', '.join(matched)}"])
    pk = next(
        (x for x in view.changes if isinstance(x, (ch.AddPrimaryKey, ch.DropPrimaryKey, ch.ModifyPrimaryKey))), None
    )
    if pk is not None:
        lines.extend(["", f"**Primary key:** {md.text(pk.describe())} {gap_cell(view, [pk])}"])
    return lines


def extras_list(view: TableView) -> list[str]:
    """For a table that matches but has extras: the extras as a list, as the seed does."""
    found = [f for c in view.changes for f in view.findings.get(c, ()) if f.code != "SA124"]  # type notes: §5
    columns = [f.column for f in found if f.column and f.code == "SA113"]
    lines = [f"**{EXTRA} Extra columns, safe to keep ({len(columns)}):** {md.inlines(columns)}"] if columns else []
    lines += [f"- {md.inline(f.location)}: {md.text(f.message)}" for f in found if f.code != "SA113" or not f.column]
    return lines


def matched_status_line(status: TableStatus) -> str:
    if status.state is TableState.MATCHES:
        return f"{OK} Fully matches target"
    if status.state is TableState.MATCHES_WITH_EXTRAS:
        return f"{OK} Matches target + has extras (safe to keep)"
    return ""
