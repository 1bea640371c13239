"""The terminal report: a compact coloured summary and the findings table, drawn with rich.

Meant for a person at a prompt or a CI log: the verdict first, the numbers that matter, then
one line per finding. The full story (gap tables, recommendations) is the markdown report.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape
from rich.table import Table as RichTable
from rich.text import Text

from schemaudit.audit.findings import Severity, Verdict
from schemaudit.audit.progress import Progress
from schemaudit.audit.result import Audit, TableState
from schemaudit.report.common import finding_where, schema_label, status_label

if TYPE_CHECKING:
    from schemaudit.impact.model import Impact

STYLE = {Severity.CRITICAL: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
WIDTH = 120  # fixed when not on a terminal, so captured output is stable


def render(audit: Audit, progress: Progress | None = None, color: bool = False, impact: Impact | None = None) -> str:
    buffer = io.StringIO()
    console = Console(
        file=buffer, force_terminal=color, no_color=not color, width=None if color else WIDTH, highlight=False
    )
    console.print(_header(audit))
    console.print(_scorecard(audit))
    gaps = [t for t in audit.tables if t.state not in (TableState.MATCHES, TableState.MATCHES_WITH_EXTRAS)]
    if gaps:
        console.print(Text("tables: ", style="bold") + Text(" · ".join(status_label(t) for t in gaps)))
    if audit.findings:
        console.print(_findings(audit))
    if progress is not None:
        console.print(
            Text.assemble(
                ("since baseline ", "bold"),
                (progress.baseline, "cyan"),
                ": ",
                (f"{len(progress.resolved)} resolved", "green"),
                ", ",
                (f"{len(progress.new)} new", "red" if progress.new else ""),
                ", ",
                f"{len(progress.unchanged)} unchanged",
            )
        )
    if impact is not None:
        from schemaudit.report import impact as impact_render

        console.print(impact_render.rich_section(impact))
    if audit.findings:  # the verdict again where the reader's eye ends, as linters summarise
        console.print(_verdict(audit))
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


def _header(audit: Audit) -> Text:
    text = _verdict(audit)
    text.append("\ntarget  ", style="bold")
    text.append(schema_label(audit.target), style="cyan")
    text.append(f" ({audit.target.dialect})\ncurrent ", style="")
    text.append(schema_label(audit.current), style="cyan")
    text.append(f" ({audit.current.dialect})")
    text.append("\nconfig  ", style="bold")
    text.append(audit.config.source or "none (defaults)")
    return text


def _scorecard(audit: Audit) -> Text:
    """The non-zero scorecard rows on one line each pair: what must change, at a glance."""
    rows = [r for r in audit.scorecard.rows if r.count]
    text = Text()
    for i, row in enumerate(rows):
        text.append(f"{row.label}: ")
        text.append(str(row.count), style="bold")
        text.append("\n" if i % 2 or i == len(rows) - 1 else "   ")
    return text


def _findings(audit: Audit) -> RichTable:
    grid = RichTable(title="findings", title_justify="left", title_style="bold", expand=False)
    for heading in ("severity", "code", "where", "finding"):
        grid.add_column(heading, overflow="fold")
    for f in audit.findings:
        grid.add_row(
            Text(f.severity.label, style=STYLE[f.severity]), f.code, escape(finding_where(f)), escape(f.message)
        )
    return grid
