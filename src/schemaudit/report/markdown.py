"""The markdown report, in the structure reviewers already write by hand (see the seeds):
scorecard, mermaid status graph, per-table gap tables, index gaps, issues by severity,
recommendations in the order to apply them, and a conclusion.

Output is a function of the Audit (and the optional Progress) and of the report's date, which
`SOURCE_DATE_EPOCH` fixes (`stamp.py`): no absolute paths beyond the sources' own origins,
stable ordering, so reports diff cleanly in review.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from schemaudit.audit.findings import Finding, Severity
from schemaudit.audit.fixes import is_sql
from schemaudit.audit.progress import Progress
from schemaudit.audit.result import Audit, IgnoredTable, TableState, TableStatus
from schemaudit.audit.rules import REGISTRY
from schemaudit.diff import changes as ch
from schemaudit.report import diagram_scope, fix_plan, md
from schemaudit.report import markdown_tables as mt
from schemaudit.report import objects as objects_report
from schemaudit.report.common import EXTRA, ICON, OK, display_name, new_evidence, schema_label, status_label
from schemaudit.report.stamp import stamp

if TYPE_CHECKING:
    from schemaudit.impact.model import Impact

_MERMAID_CLASS = {
    TableState.MATCHES: "ok",
    TableState.MATCHES_WITH_EXTRAS: "ok",
    TableState.GAPS: "gap",
    TableState.RENAME: "gap",
    TableState.MISSING: "missing",
    TableState.EXTRA: "extra",
    TableState.OTHER_KIND: "outside",
    TableState.IGNORED: "outside",
    TableState.BOOKKEEPING: "outside",
}


class _Numbers:
    """Section numbers that stay consecutive when optional sections are left out."""

    def __init__(self) -> None:
        self.n = 0

    def next(self, title: str) -> str:
        self.n += 1
        return f"## {self.n}. {title}"


def render(audit: Audit, progress: Progress | None = None, impact: Impact | None = None) -> str:
    num = _Numbers()
    findings = audit.findings_by_item()
    lines: list[str] = [
        f"# Schema audit — {md.inline(schema_label(audit.current))} vs {md.inline(schema_label(audit.target))}",
        "",
        f"**Target (source of truth):** {md.inline(schema_label(audit.target))} ({md.text(audit.target.dialect)})  ",
        f"**Current (under audit):** {md.inline(schema_label(audit.current))} ({md.text(audit.current.dialect)})  ",
        f"**Verdict:** **{audit.verdict.value}** — {audit.scorecard.critical} critical, "
        f"{audit.scorecard.warning} warning, {audit.scorecard.info} info",
    ]
    if audit.config.source:
        lines[-1] += "  "
        lines.append(f"**Configuration:** {md.inline(audit.config.source)}")
    lines[-1] += "  "
    lines.append(f"**Date:** {stamp()}")
    lines += ["", "---", "", num.next("Summary scorecard"), "", *_scorecard(audit)]
    lines += ["", "---", "", num.next("Table-level status"), "", *_mermaid(audit)]
    lines += ["", "---", "", num.next("Detailed gap analysis by table"), *_tables(audit, findings, num.n)]
    object_lines = objects_report.section_lines(audit)
    if object_lines:
        lines += ["", "---", "", num.next("Views, routines, triggers and other objects"), *object_lines]
    notes = [f for f in audit.findings if f.code == "SA124"]
    if notes:
        lines += [
            "",
            "---",
            "",
            num.next("Storage-equivalent types"),
            "",
        ]
        grouped: dict[str, list[str]] = {}
        for f in notes:
            grouped.setdefault(f.message, []).extend(f.evidence)
        lines += [f"- {md.text(message)} — {md.inlines(sorted(where))}" for message, where in sorted(grouped.items())]
    lines += ["", "---", "", num.next("Issues summary"), *_issues(audit)]
    lines += ["", "---", "", num.next("Recommendations"), *_recommendations(audit)]
    if impact is not None:
        from schemaudit.report import impact as impact_render

        lines += ["", "---", "", num.next(impact_render.TITLE), *impact_render.markdown_lines(impact)]
    outside = _outside(audit)
    if outside:
        lines += ["", "---", "", num.next("Tables outside the audit"), "", *outside]
    if audit.not_audited:
        lines += ["", "---", "", num.next("Not audited"), "", *objects_report.not_audited_lines(audit)]
    if progress is not None:
        lines += ["", "---", "", num.next("Progress since baseline"), *_progress(progress)]
    lines += ["", "---", "", num.next("Conclusion"), "", *_conclusion(audit)]
    return "\n".join(lines) + "\n"


def _scorecard(audit: Audit) -> list[str]:
    s = audit.scorecard
    # a zero row says nothing; the counts by severity are the header's verdict line
    rows = [(md.text(r.label), str(r.count)) for r in s.rows if r.count]
    return md.table(("Category", "Count"), rows) if rows else ["Nothing to change."]


def _mermaid(audit: Audit) -> list[str]:
    body = ["graph TD"]
    used: set[str] = set()
    inside, left_out = diagram_scope.drawn(audit)
    for i, status in enumerate(inside, start=1):
        cls = _MERMAID_CLASS[status.state]
        used.add(cls)
        body.append(f'    T{i}["{md.mermaid_label(status_label(status))}"]:::{cls}')
    styles = {
        "ok": "fill:#e6f4ea,stroke:#34a853",
        "gap": "fill:#fef7e0,stroke:#f9ab00",
        "missing": "fill:#fce8e6,stroke:#d93025",
        "extra": "fill:#e8f0fe,stroke:#4285f4",
        "outside": "fill:#f1f3f4,stroke:#9aa0a6",
    }
    body += [f"    classDef {name} {style}" for name, style in styles.items() if name in used]
    if not left_out:
        return md.fenced("mermaid", body)
    note = (
        f"The tables with gaps and their foreign-key neighbours; {len(left_out)} more tables match and are not drawn."
    )
    return [note, "", *md.fenced("mermaid", body)]


def _tables(audit: Audit, findings: dict[object, tuple[Finding, ...]], section: int) -> list[str]:
    lines: list[str] = []
    look = mt.Lookup.of(audit, findings)
    objects = objects_report.rows_by_table(audit)
    adds = {c.table: c for c in audit.changes.changes if isinstance(c, ch.AddTable)}
    drops = {c.table: c for c in audit.changes.changes if isinstance(c, ch.DropTable)}
    shown = [s for s in audit.tables if s.state not in (TableState.IGNORED, TableState.BOOKKEEPING)]
    matching = [s.name for s in shown if s.state is TableState.MATCHES]
    if matching:  # one line for all of them: a heading each says nothing more
        lines += ["", f"**{OK} Fully match the target ({len(matching)}):** {md.inlines(matching)}"]
    missing = [
        f"{md.inline(s.name)} ({len(adds[s.name].to.columns)} columns)" for s in shown if s.state is TableState.MISSING
    ]
    if missing:  # their CREATE TABLE, columns and constraints included, is in the recommendations
        lines += ["", f"**❌ Missing, created in the recommendations ({len(missing)}):** {', '.join(missing)}"]
    other = [f"{md.inline(s.name)} ({md.text(s.note or '')})" for s in shown if s.state is TableState.OTHER_KIND]
    if other:  # not missing: nothing to create, and the other object itself is not audited
        lines += [
            "",
            f"**{ICON[Severity.INFO]} Another kind of object, not audited ({len(other)}):** {', '.join(other)}",
        ]
    done = (TableState.MATCHES, TableState.MISSING, TableState.OTHER_KIND)
    shown = [s for s in shown if s.state not in done]
    for n, status in enumerate(shown, start=1):
        head = f"### {section}.{n} "
        if status.state is TableState.EXTRA:
            drop = drops[status.name]
            lines += [
                "",
                f"{head}{md.inline(status.name)} — {EXTRA} Extra table, not in target",
                "",
                f"Exists only in the current schema; safe to keep. Columns: "
                f"{md.inlines(c.name for c in drop.from_.columns)}.",
            ]
            if drop.referenced_by:
                lines += ["", "**Referenced by:** " + md.inlines(str(r) for r in drop.referenced_by)]
        elif status.state in (TableState.MATCHES, TableState.MATCHES_WITH_EXTRAS):
            lines += ["", f"{head}{md.inline(status.name)} — {mt.matched_status_line(status)}"]
            if status.state is TableState.MATCHES_WITH_EXTRAS:
                view = mt.table_view(audit, status, look)
                lines += ["", *mt.extras_list(view)]
        else:
            lines += _gap_section(audit, status, look, objects.get(status.name, []), head)
    return lines


def _gap_section(
    audit: Audit, status: TableStatus, look: mt.Lookup, objects: list[objects_report.ObjectRow], head: str
) -> list[str]:
    view = mt.table_view(audit, status, look)
    title = md.inline(status.name)
    if status.state is TableState.RENAME:
        title = f"{md.inline(display_name(status))} → {md.inline(status.name)}"
    label = status_label(status).removeprefix(display_name(status)).strip()
    lines = ["", f"{head}{title} — {md.text(label)}", ""]
    rename = next((c for c in view.changes if isinstance(c, ch.RenameTable)), None)
    if rename is not None:
        lines.append(f"**Rename evidence:** {md.text(_evidence(rename.evidence))}  ")
        if rename.referenced_by:
            lines.append(
                f"**Downstream impact:** foreign keys that reference {md.inline(rename.from_)}: "
                f"{md.inlines(str(r) for r in rename.referenced_by)}  "
            )
    for col in (c for c in view.changes if isinstance(c, ch.RenameColumn)):
        lines.append(
            f"**Column rename** {md.inline(col.from_)} → {md.inline(col.to)}: {md.text(_evidence(col.evidence))}  "
        )
    lines[-1] = lines[-1].rstrip()
    if lines[-1]:
        lines.append("")
    rows = mt.column_rows(view)  # the column table and the foreign keys both read them
    lines += _matching_last([*mt.column_table(view, rows), *mt.constraint_sections(view, rows)])
    lines += objects_report.table_lines(objects)
    return lines


_MATCHING = re.compile(r"^\*\*[^*]+ matching \(\d+\):\*\* ")


def _matching_last(lines: list[str]) -> list[str]:
    """The gap tables first, then what matches (columns, keys, indexes) as one block of lines."""
    matching = [line for line in lines if _MATCHING.match(line)]
    rest = [line for line in lines if not _MATCHING.match(line)]
    rest = [line for i, line in enumerate(rest) if line or (i > 0 and rest[i - 1])]  # no blank runs
    while rest and not rest[-1]:
        rest.pop()
    if not matching:
        return rest
    return [*rest, *([""] if rest else []), *(line + "  " for line in matching[:-1]), matching[-1]]


def _evidence(evidence: ch.RenameEvidence) -> str:
    if evidence.hinted:
        return "rename hint (config or --rename)"
    reasons = "; ".join(evidence.reasons)
    return f"confidence {evidence.score:.2f}" + (f" — {reasons}" if reasons else "")


def _issues(audit: Audit) -> list[str]:
    lines: list[str] = []
    for severity in Severity:
        found = [f for f in audit.findings if f.severity is severity]
        lines += ["", f"### {ICON[severity]} {severity.label} ({len(found)})"]
        notes = [f for f in found if f.code == "SA124"]
        found = [f for f in found if f.code != "SA124"]
        if notes:
            lines += ["", f"{_type_notes(len(notes))} (SA124), listed under *Storage-equivalent types*."]
        if not found:
            lines += [] if notes else ["", "None."]
            continue
        rows = []
        for i, f in enumerate(found, start=1):
            problem = md.text(f.message)
            evidence = new_evidence(f) if f.code != "SA124" else ()
            if evidence:
                problem += "<br>*Evidence:* " + md.text("; ".join(evidence))
            if f.origin:
                problem += f"<br>*Defined at* {md.code(f.origin)}"
            rows.append(
                (
                    str(i),
                    md.code(f.code),
                    md.code(f.table) if f.table else "—",
                    md.code(f.column) if f.column else "—",
                    problem,
                )
            )
        lines += ["", *md.table(("#", "Code", "Table", "Column", "Problem"), rows)]
    return lines


def _fix_lines(text: str, indent: str) -> list[str]:
    """A fix under a list item: statements as an SQL block, advice as text."""
    if is_sql(text):
        return [indent + line if line else line for line in md.fenced("sql", text.splitlines())]
    return [indent + md.text(text)]


def _fix_inline(text: str) -> str:
    return md.inline(" ".join(text.splitlines())) if is_sql(text) else md.text(text)


def _recommendations(audit: Audit) -> list[str]:
    """Fixes in the order to apply them, one item per run of findings on the same table: the
    finding is stated in the issues summary, here it is named by code and column, and each
    statement appears once (two findings with the same fix do not get it twice)."""
    required = [f for f in audit.recommendations if f.severity is not Severity.INFO]
    optional = [f for f in audit.recommendations if f.severity is Severity.INFO]
    # the list's lead sentence says it is in the order to apply them; a heading is needed only
    # to part it from the optional fixes
    lines = ["", "### Required", ""] if optional else [""]
    planned = fix_plan.recommendation_lines(audit)
    if isinstance(planned, list):
        lines[-1:] = planned
    elif required:
        lines += [f"No migration plan for these schemas: {md.text(planned)}. Each finding's fix instead:", ""]
    else:
        lines.append("Nothing: no critical or warning findings.")
    for i, group in enumerate(_runs(required) if isinstance(planned, str) else [], start=1):
        indent = " " * len(f"{i}. ")
        where = f"{md.inline(group[0].table)} — " if group[0].table else ""
        lines.append(f"{i}. {where}{_named(group)}")
        fixes = list(dict.fromkeys(f.recommendation for f in group if f.recommendation))
        sql = [line for fix in fixes if is_sql(fix) for line in fix.splitlines()]
        if sql:
            lines.extend(indent + line if line else line for line in md.fenced("sql", sql))
        for fix in (x for x in fixes if not is_sql(x)):
            lines[-1] += "  "  # a hard break: the advice is its own line under the item
            lines.append(indent + md.text(fix))
    if optional:
        lines += ["", "### Optional", ""]
        for group in _runs(optional):
            fixes = list(dict.fromkeys(f.recommendation for f in group if f.recommendation))
            where = f"{md.inline(group[0].table)} " if group[0].table else ""
            lines.append(f"- {where}{_named(group)}: " + _fixes_inline(fixes))
    return lines


def _fixes_inline(fixes: list[str]) -> str:
    """`Keep it; to remove it, losing its data: ALTER ...;` for several columns: the advice
    once, then each statement."""
    heads = {fix.rpartition(": ")[0] for fix in fixes}
    if len(fixes) > 1 and len(heads) == 1 and "" not in heads:
        return md.text(heads.pop()) + ": " + " ".join(_fix_inline(fix.rpartition(": ")[2]) for fix in fixes)
    return " ".join(_fix_inline(x) for x in fixes)


def _runs(found: list[Finding]) -> list[list[Finding]]:
    """Consecutive findings on one table, kept in order."""
    runs: list[list[Finding]] = []
    for f in found:
        if runs and f.table and runs[-1][0].table == f.table:
            runs[-1].append(f)
        else:
            runs.append([f])
    return runs


def _named(group: list[Finding]) -> str:
    """`❌ **SA111** `height`, `width` · ⚠️ **SA112** `kind``: codes with their columns."""
    parts: dict[tuple[Severity, str], list[str]] = {}
    for f in group:
        parts.setdefault((f.severity, f.code), []).extend([f.column] if f.column else [])
    return " · ".join(
        f"{ICON[sev]} **{code}**" + (f" {md.inlines(dict.fromkeys(cols))}" if cols else "")
        for (sev, code), cols in parts.items()
    )


def _outside(audit: Audit) -> list[str]:
    rows: list[tuple[list[str], str, str | IgnoredTable]] = []
    ignored: dict[tuple[str, str, str], list[str]] = {}  # one row per pattern: its reason is said once
    for status in audit.tables:
        if status.state is TableState.IGNORED:
            item = next(i for i in audit.ignored if i.name == status.name)
            names = ignored.setdefault((item.pattern, item.reason, item.side), [])
            if not names:
                rows.append((names, "⏭️ ignored by configuration", item))
            names.append(status.name)
        elif status.state is TableState.BOOKKEEPING:
            where = (
                "both schemas"
                if status.target and status.current
                else ("target only" if status.target else "current only")
            )
            rows.append(
                (
                    [status.name],
                    "📒 migration bookkeeping",
                    md.text(f"{status.note}; {where}; never reported as drift"),
                )
            )
    return md.table(("Table", "Kind", "Why"), [(md.codes(n, ", "), k, _why(n, w)) for n, k, w in rows]) if rows else []


def _why(names: list[str], why: str | IgnoredTable) -> str:
    """The config's reason, after its pattern unless the pattern is the one table's own name
    (the Table column says it already)."""
    if isinstance(why, str):
        return why
    reason = f"{md.text(why.reason)} ({md.text(why.side)})"
    return reason if [why.pattern] == names else f"{md.code(why.pattern)}: {reason}"


def _progress(progress: Progress) -> list[str]:
    lines = [
        "",
        f"Compared with {md.inline(progress.baseline)}: {len(progress.resolved)} resolved, "
        f"{len(progress.new)} new, {len(progress.unchanged)} unchanged.",
    ]
    for title, items in (("Resolved", progress.resolved), ("New", progress.new), ("Unchanged", progress.unchanged)):
        lines += ["", f"### {title} ({len(items)})", ""]
        lines += list(_progress_items(items)) or ["None."]
    return lines


def _progress_items(items: tuple[Finding, ...]) -> Iterator[str]:
    for f in items:
        where = f" {md.inline(f.location)}" if f.location else ""
        yield f"- {ICON[f.severity]} **{f.code}**{where}: {md.text(f.message)}"


def _conclusion(audit: Audit) -> list[str]:
    s = audit.scorecard
    matching = sum(1 for t in audit.tables if t.state in (TableState.MATCHES, TableState.MATCHES_WITH_EXTRAS))
    audited = sum(
        1 for t in audit.tables if t.target is not None and t.state not in (TableState.IGNORED, TableState.BOOKKEEPING)
    )
    if s.critical + s.warning == 0:
        return [
            f"The current schema is **CONSISTENT** with the target: no critical or warning findings "
            f"({_notes(s.info)}). {matching} of {audited} target tables match."
        ]
    lines = [
        f"The current schema is **INCONSISTENT** with the target: {s.critical} critical and {s.warning} "
        f"warning findings ({_notes(s.info)}). {matching} of {audited} target tables match."
    ]
    by_code: dict[str, int] = {}
    for f in audit.findings:  # each is stated in the issues summary; here the rules are named
        if f.severity is Severity.CRITICAL:
            by_code[f.code] = by_code.get(f.code, 0) + 1
    if by_code:
        rules = ", ".join(
            f"**{code}** " + (f"{REGISTRY[code].title} " if code in REGISTRY else "") + f"({n})"
            for code, n in by_code.items()
        )
        lines[-1] += f" Fix the critical findings first, they break at runtime or let bad data in: {rules}."
    return lines


def _notes(n: int) -> str:
    return f"{n} info note" + ("" if n == 1 else "s")


def _type_notes(n: int) -> str:
    return f"{n} storage-equivalent type note" + ("" if n == 1 else "s")
