"""`audit(target, current, config) -> Audit`: compare, grade, and sum up.

Ignored and bookkeeping tables are taken out of both schemas *before* comparing, so they
can neither show up as drift nor be picked as the other half of a rename. Everything else
flows one way: changes -> rules -> findings -> per-table status, scorecard and verdict.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from schemaudit.audit.bookkeeping import (
    Bookkeeping,
    UnusedHint,
    bookkeeping_system,
    bookkeeping_to_create,
    find_bookkeeping,
)
from schemaudit.audit.config import Config
from schemaudit.audit.draft import Context
from schemaudit.audit.findings import Category, Finding, Severity, Verdict
from schemaudit.audit.fixes import fixes_for
from schemaudit.audit.result import (
    Audit,
    IgnoredTable,
    NotAudited,
    Scorecard,
    ScoreRow,
    TableState,
    TableStatus,
)
from schemaudit.audit.rules import apply_rules, category_of, keeps_extra
from schemaudit.audit.rules_app import app_only_validations
from schemaudit.diff.changes import AddTable, DropTable
from schemaudit.diff.compare import compare
from schemaudit.diff.result import Changes
from schemaudit.model import Schema


def audit(target: Schema, current: Schema, config: Config | None = None) -> Audit:
    """Audit `current` against `target`. Deterministic: same inputs, same Audit."""
    config = config or Config()
    ignored = _ignored_tables(target, current, config)
    skip = {name.lower() for name in (i.name for i in ignored)}
    bookkeeping = find_bookkeeping(target, current)
    skip.update(b.table.lower() for b in bookkeeping)
    kept_target, kept_current = _without(target, skip), _without(current, skip)
    changes = replace(
        compare(kept_target, kept_current, config.hints), bookkeeping=bookkeeping_to_create(target, current)
    )
    ctx = Context(kept_target, kept_current, fixes_for(current.dialect))
    # bookkeeping tables are shown as such (table statuses), never as findings: a note that
    # is not drift must not fail `--fail-on info` on identical schemas
    items: list[object] = [*changes.changes, *changes.near_misses]
    items.extend(UnusedHint(h) for h in changes.unused_hints)
    items.extend(app_only_validations(kept_target, kept_current))
    applied = apply_rules(items, ctx, config.severity_overrides)
    findings = applied.findings
    tables = _statuses(changes, findings, ignored, bookkeeping)
    return Audit(
        target=kept_target,
        current=kept_current,
        changes=changes,
        findings=findings,
        by_item=applied.by_item,
        tables=tables,
        scorecard=_scorecard(findings, tables),
        verdict=Verdict.INCONSISTENT
        if any(f.severity.rank > Severity.INFO.rank for f in findings)
        else Verdict.CONSISTENT,
        not_audited=_not_audited(target, current),
        ignored=ignored,
        config=config,
    )


def _ignored_tables(target: Schema, current: Schema, config: Config) -> tuple[IgnoredTable, ...]:
    if not config.ignore:
        return ()
    seen: dict[str, tuple[str, set[str]]] = {}
    for side, schema in (("target", target), ("current", current)):
        for table in schema.tables:
            if config.ignored(table.name) is not None and bookkeeping_system(table.name) is None:
                seen.setdefault(table.name.lower(), (table.name, set()))[1].add(side)
    out = []
    for _, (name, sides) in sorted(seen.items()):
        rule = config.ignored(name)
        assert rule is not None
        out.append(IgnoredTable(name, "both" if len(sides) == 2 else next(iter(sides)), rule.pattern, rule.reason))
    return tuple(out)


def _without(schema: Schema, skip: set[str]) -> Schema:
    if not skip:
        return schema
    return replace(schema, tables=tuple(t for t in schema.tables if t.name.lower() not in skip))


def _statuses(
    changes: Changes, findings: tuple[Finding, ...], ignored: Iterable[IgnoredTable], bookkeeping: Iterable[Bookkeeping]
) -> tuple[TableStatus, ...]:
    by_table: dict[str, list[Finding]] = {}
    for f in findings:
        if f.table is not None:
            by_table.setdefault(f.table, []).append(f)
    out: list[TableStatus] = []
    for match in changes.tables:
        state = TableState.RENAME if match.renamed else TableState.MATCHES
        out.append(_status(match.target, match.target, match.current, state, by_table))
    for change in changes.changes:
        if isinstance(change, AddTable) and change.exists_as:
            kind = f"{change.exists_as} in the current schema"
            out.append(_status(change.table, change.table, None, TableState.OTHER_KIND, by_table, kind))
        elif isinstance(change, AddTable):
            out.append(_status(change.table, change.table, None, TableState.MISSING, by_table))
        elif isinstance(change, DropTable) and change.exists_as:
            kind = f"{change.exists_as} in the target schema"
            out.append(_status(change.table, None, change.table, TableState.OTHER_KIND, by_table, kind))
        elif isinstance(change, DropTable):
            out.append(_status(change.table, None, change.table, TableState.EXTRA, by_table))
    for item in ignored:
        target_name = item.name if item.side in ("target", "both") else None
        current_name = item.name if item.side in ("current", "both") else None
        out.append(TableStatus(item.name, target_name, current_name, TableState.IGNORED, note=item.reason))
    for book in bookkeeping:
        out.append(
            TableStatus(
                book.table,
                book.table if book.where != "current schema only" else None,
                book.table if book.where != "target schema only" else None,
                TableState.BOOKKEEPING,
                info=len(by_table.get(book.table, ())),
                note=book.system,
            )
        )
    return tuple(sorted(out, key=lambda s: (s.name.lower(), s.name)))


def _status(
    name: str,
    target: str | None,
    current: str | None,
    state: TableState,
    by_table: dict[str, list[Finding]],
    note: str | None = None,
) -> TableStatus:
    found = by_table.get(name, [])
    counts = {s: sum(1 for f in found if f.severity is s) for s in Severity}
    status = TableStatus(
        name, target, current, state, counts[Severity.CRITICAL], counts[Severity.WARNING], counts[Severity.INFO], note
    )
    if state is TableState.MATCHES:
        if status.has_gaps:
            state = TableState.GAPS
        elif any(keeps_extra(f.code) for f in found):
            state = TableState.MATCHES_WITH_EXTRAS
        status = replace(status, state=state)
    return status


def _scorecard(findings: tuple[Finding, ...], tables: tuple[TableStatus, ...]) -> Scorecard:
    rows = [ScoreRow(cat.value, sum(1 for f in findings if category_of(f.code) is cat)) for cat in Category]

    def tables_in(state: TableState) -> int:
        return sum(1 for t in tables if t.state is state)

    rows.extend(
        (
            ScoreRow("Tables fully matching target", tables_in(TableState.MATCHES)),
            ScoreRow("Tables matching target, with extras safe to keep", tables_in(TableState.MATCHES_WITH_EXTRAS)),
            ScoreRow("Tables only in the current schema", tables_in(TableState.EXTRA)),
        )
    )
    if any(t.state is TableState.OTHER_KIND for t in tables):  # a real difference, not a gap to fix
        rows.append(
            ScoreRow(
                "Tables that are another kind of object on the other side (view, virtual table)",
                tables_in(TableState.OTHER_KIND),
            )
        )
    if any(t.state is TableState.IGNORED for t in tables):
        rows.append(ScoreRow("Tables ignored by configuration", tables_in(TableState.IGNORED)))
    if any(t.state is TableState.BOOKKEEPING for t in tables):
        rows.append(ScoreRow("Migration bookkeeping tables", tables_in(TableState.BOOKKEEPING)))
    return Scorecard(
        rows=tuple(rows),
        critical=sum(1 for f in findings if f.severity is Severity.CRITICAL),
        warning=sum(1 for f in findings if f.severity is Severity.WARNING),
        info=sum(1 for f in findings if f.severity is Severity.INFO),
    )


def _not_audited(target: Schema, current: Schema) -> tuple[NotAudited, ...]:
    out = [
        NotAudited(side, o.kind, o.name, o.table, o.reason)
        for side, schema in (("target", target), ("current", current))
        for o in schema.not_audited
    ]
    return tuple(sorted(out, key=lambda n: (n.side != "target", n.kind, n.name, n.table or "")))
