"""The terminal report: a compact coloured summary and the findings, drawn with rich.

Meant for a person at a prompt or a CI log: the verdict first, the numbers that matter, then
each finding (severity, code, where, the `file:line` of its definition when the source knows
it, and the message on the lines below), and the verdict again as the last line, where the
eye is when the findings have scrolled by (as ruff and Atlas summarise at the end). The full
story (gap tables, recommendations) is the markdown report.

Lines are wrapped at spaces to the width given (the terminal's, or `COLUMNS`): an identifier
is never cut in two, which a table with fixed columns does at 100 columns. `min_severity`
hides the findings below it; the counts still include them, and a line says how many are
hidden.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from schemaudit.audit.findings import Category, Finding, Severity, Verdict
from schemaudit.audit.progress import Progress
from schemaudit.audit.result import Audit, TableState
from schemaudit.report.common import finding_where, schema_label, status_label
from schemaudit.terminal import visible_line

if TYPE_CHECKING:
    from schemaudit.impact.model import Impact

STYLE = {Severity.CRITICAL: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
WIDTH = 120  # when nothing says how wide: fixed, so captured output is stable
INDENT = 10  # the message under its finding: past "CRITICAL  "
TYPE_NOTE = "SA124"  # storage-equivalent type: listed grouped by what the notes say


def render(
    audit: Audit,
    progress: Progress | None = None,
    color: bool = False,
    impact: Impact | None = None,
    *,
    width: int | None = None,
    min_severity: Severity = Severity.INFO,
) -> str:
    width = max(width or WIDTH, 40)
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=color, no_color=not color, width=width, highlight=False)

    def say(*lines: Text) -> None:
        for line in lines:
            console.print(line, no_wrap=True, overflow="ignore", crop=False)

    say(*_header(audit, width))
    # the counts of what to change; the tables by state are counted in the tables block below
    changes = {c.value for c in Category}
    rows = [r for r in audit.scorecard.rows if r.count and r.label in changes]
    say(*_pack([_scorecard_item(r.label, r.count) for r in rows], width, "   "))
    tables = _tables(audit, width)
    if tables:
        say(Text(""), *tables)
    shown = [f for f in audit.findings if f.severity.rank >= min_severity.rank]
    if shown:
        say(Text(""), Text("findings", style="bold"))
        for finding in shown:
            if finding.code != TYPE_NOTE:
                say(*_finding(finding, width))
        for message, notes in _type_notes(shown).items():
            say(*_type_note(message, notes, width))
    hidden = len(audit.findings) - len(shown)
    if hidden:
        say(Text(f"{hidden} finding{'s' if hidden != 1 else ''} below {min_severity.value} not shown", style="dim"))
    if progress is not None:
        say(_progress(progress))
    if impact is not None:
        from schemaudit.report import impact as impact_render

        console.print(impact_render.rich_section(impact))
    if audit.findings:  # the verdict again where the reader's eye ends
        say(Text(""), _verdict(audit))
    return buffer.getvalue()


def _verdict(audit: Audit) -> Text:
    s = audit.scorecard
    style = "bold green" if audit.verdict is Verdict.CONSISTENT else "bold red"
    text = Text()
    text.append(audit.verdict.value, style=style)
    text.append("  ")
    text.append(f"{s.critical} critical", style=STYLE[Severity.CRITICAL] if s.critical else "")
    text.append(", ")
    text.append(f"{s.warning} warning", style=STYLE[Severity.WARNING] if s.warning else "")
    text.append(f", {s.info} info")
    return text


def _header(audit: Audit, width: int) -> list[Text]:
    lines = [_verdict(audit)]
    for label, value in (
        ("target  ", f"{schema_label(audit.target)} ({audit.target.dialect})"),
        ("current ", f"{schema_label(audit.current)} ({audit.current.dialect})"),
        ("config  ", audit.config.source or "none (defaults)"),
    ):
        lines += _wrapped(Text(label, style="bold"), value, width, len(label))
    return lines


LABEL = 13  # "bookkeeping  ": the tables block's names start past it


def _tables(audit: Audit, width: int) -> list[Text]:
    """The tables by what they need, each kind on its own lines: the missing ones as a list
    of names, those the other side has as a view or virtual table with what it is there, those
    that differ (gaps, renamed, extra) one a line with their status, the matching ones as one
    list of names (at most `MATCHING_LINES` lines, then how many more); then, one line each,
    what the audit leaves out and why, ignored tables grouped by the configured pattern as the
    markdown report groups them. A long reason wraps under its own entry, never into the next."""
    lines: list[Text] = []
    ok = (TableState.MATCHES, TableState.MATCHES_WITH_EXTRAS)
    outside = (TableState.IGNORED, TableState.BOOKKEEPING)
    missing = [visible_line(t.name) for t in audit.tables if t.state is TableState.MISSING]
    if missing:
        lines += _labelled(f"missing {len(missing)}", _wrapped(Text(""), ", ".join(missing), width - LABEL, 0))
    other = [f"{t.name}: {t.note}" for t in audit.tables if t.state is TableState.OTHER_KIND]
    if other:  # not missing: the other side has the name as a view or virtual table
        rows = [row for label in other for row in _wrapped(Text(""), label, width - LABEL, 2)]
        lines += _labelled(f"other kind {len(other)}", rows)
    differ = (*ok, *outside, TableState.MISSING, TableState.OTHER_KIND)
    gaps = [status_label(t) for t in audit.tables if t.state not in differ]
    if gaps:  # one a line: the status is what a reader scans for
        rows = [row for label in gaps for row in _wrapped(Text(""), label, width - LABEL, 2)]
        lines += _labelled(f"differ {len(gaps)}", rows)
    matching = [t.name + (" (+ extras)" if t.state is TableState.MATCHES_WITH_EXTRAS else "") for t in audit.tables
                if t.state in ok]  # fmt: skip
    if matching:
        names = _name_list(matching, width - LABEL)
        lines += _labelled(f"matching {len(matching)}", names)
    ignored: dict[tuple[str, str], list[str]] = {}
    for item in audit.ignored:
        ignored.setdefault((item.pattern, item.reason), []).append(item.name)
    if ignored:
        entries = [_entry(names, reason, width - LABEL) for (_, reason), names in ignored.items()]
        lines += _labelled(f"ignored {sum(len(n) for n in ignored.values())}", [x for e in entries for x in e])
    kept = [t for t in audit.tables if t.state is TableState.BOOKKEEPING]
    if kept:
        entries = [_entry([t.name], t.note or "migration bookkeeping", width - LABEL) for t in kept]
        lines += _labelled("bookkeeping", [x for e in entries for x in e])
    return lines


MATCHING_LINES = 3  # a big schema's matching tables are counted past this, not listed


def _name_list(names: list[str], width: int) -> list[Text]:
    """The names wrapped, dimmed: at most `MATCHING_LINES` lines, the last saying how many
    more there are (the markdown report names them all)."""
    lines: list[Text] = []
    fit, room = 0, MATCHING_LINES * width  # no more than this many could fit: start there
    while fit < len(names) and room > 0:
        room -= cell_len(visible_line(names[fit])) + 2
        fit += 1
    for shown in range(fit, 0, -1):
        more = f" … and {len(names) - shown} more" if shown < len(names) else ""
        text = ", ".join(visible_line(n) for n in names[:shown]) + more
        lines = _wrapped(Text(""), text, width, 0, "dim")
        if len(lines) <= MATCHING_LINES:
            return lines
    return lines


def _entry(names: list[str], reason: str, width: int) -> list[Text]:
    """`a, b  reason`: the names, then the reason dimmed, wrapped under the entry."""
    head = Text(", ".join(visible_line(n) for n in sorted(names)), style="bold")
    head.append("  ")
    return _wrapped(head, reason, width, 2, "dim")


def _labelled(label: str, lines: list[Text]) -> list[Text]:
    """`label` in the first line's margin, the others indented to the same column."""
    out = []
    for i, line in enumerate(lines):
        first = label.ljust(LABEL - 1) + " "  # a long count still leaves a space before the names
        margin = Text(first if i == 0 else " " * LABEL, style="bold" if i == 0 else "")
        out.append(Text.assemble(margin, line))
    return out


def _scorecard_item(label: str, count: int) -> Text:
    return Text.assemble(f"{label}: ", (str(count), "bold"))


def _progress(progress: Progress) -> Text:
    return Text.assemble(
        ("since baseline ", "bold"),
        (visible_line(progress.baseline), "cyan"),
        ": ",
        (f"{len(progress.resolved)} resolved", "green"),
        ", ",
        (f"{len(progress.new)} new", "red" if progress.new else ""),
        ", ",
        f"{len(progress.unchanged)} unchanged",
    )


def _finding(f: Finding, width: int) -> list[Text]:
    """`CRITICAL  SA111  assets.height  docs/SPEC.md:189`, then the message below it."""
    head = Text.assemble((f.severity.label.ljust(INDENT - 2), STYLE[f.severity]), "  ", f.code, "  ")
    head.append(visible_line(finding_where(f)), style="bold")
    origin = visible_line(f.origin or "")
    if origin:
        if cell_len(head.plain) + 2 + cell_len(origin) <= width:
            head.append("  ")
            head.append(origin, style="dim")
        else:
            return [head, *_wrapped(Text(" " * INDENT), origin, width, INDENT, "dim"), *_message(f, width)]
    return [head, *_message(f, width)]


def _type_notes(findings: list[Finding]) -> dict[str, list[Finding]]:
    """The storage-equivalent type notes by what they say: one per table and type pair is a
    screenful that says four things (as the markdown report groups them too)."""
    grouped: dict[str, list[Finding]] = {}
    for f in findings:
        if f.code == TYPE_NOTE:
            grouped.setdefault(f.message, []).append(f)
    return grouped


def _type_note(message: str, notes: list[Finding], width: int) -> list[Text]:
    """`INFO  SA124  12 tables`, the message, then the tables."""
    severity = notes[0].severity
    noun = "table" if len(notes) == 1 else "tables"
    head = Text.assemble((severity.label.ljust(INDENT - 2), STYLE[severity]), "  ", TYPE_NOTE, "  ")
    head.append(f"{len(notes)} {noun}", style="bold")
    names = ", ".join(sorted({f.location for f in notes}))
    return [
        head,
        *_wrapped(Text(" " * INDENT), message, width, INDENT),
        *_wrapped(Text(" " * INDENT), names, width, INDENT, "dim"),
    ]


def _message(f: Finding, width: int) -> list[Text]:
    return _wrapped(Text(" " * INDENT), f.message, width, INDENT)


def _wrapped(first: Text, text: str, width: int, indent: int, style: str = "") -> list[Text]:
    """`text` after `first`, wrapped at spaces to `width`, later lines indented by `indent`.
    A word longer than a whole line stays whole on a line of its own. Control characters
    a name holds are shown escaped (`cr\\rcol`): rich would drop BEL, BS, VT, FF and CR, and
    splitting at whitespace would cut a name at its CR, VT or FF."""
    lines: list[Text] = []
    line = first.copy()
    start = cell_len(first.plain)
    filled = start
    for word in visible_line(text).split():
        size = cell_len(word)
        if filled > start and filled + 1 + size > width:
            lines.append(line)
            line, filled = Text(" " * indent), indent
            start = indent
        if filled > start:
            line.append(" ")
            filled += 1
        line.append(word, style=style)
        filled += size
    lines.append(line)
    return lines


def _pack(items: Iterable[Text], width: int, sep: str) -> list[Text]:
    """Items side by side, as many as fit on a line, an item split across lines only when it
    is longer than a line (and then at its spaces)."""
    lines: list[Text] = []
    line: Text | None = None
    for item in items:
        if line is not None and cell_len(line.plain) + cell_len(sep) + cell_len(item.plain) <= width:
            line.append(sep)
            line.append_text(item)
            continue
        if line is not None:
            lines.append(line)
        line = item.copy()
        if cell_len(item.plain) > width:  # too long for any line: wrapped at its spaces
            *whole, line = _wrapped(Text(""), item.plain, width, 2)
            lines += whole
    if line is not None:
        lines.append(line)
    return lines
