"""The HTML report's per-table detail, tables outside the audit, and appendices.

The per-table sections are the markdown report's own (`markdown_tables`: columns side by
side with their gaps, then foreign keys, indexes, unique and check constraints), turned into
HTML by markdown-it, so the two reports cannot tell a table's story differently. Each table
is a `<details>` element, open for tables with critical gaps, and carries `data-table` so a
click in the diagram can open it. Appendices (the Alembic migration history, the migrations
a database records) are the same markdown as in the markdown report.
"""

from __future__ import annotations

import re
from html import escape
from typing import TYPE_CHECKING

from schemaudit.audit.result import Audit, TableState
from schemaudit.report import html_markdown
from schemaudit.report import markdown_tables as mt
from schemaudit.report.common import display_name, status_label

if TYPE_CHECKING:
    from schemaudit.report import Appendix

_GAPS = (TableState.GAPS, TableState.RENAME, TableState.MATCHES_WITH_EXTRAS)


def _html(markdown: str) -> str:
    """Markdown as HTML (`html_markdown`: markdown-it's output, raw HTML kept as text), and
    tables get the page's grid style."""
    return html_markdown.render(markdown).replace("<table>", '<table class="grid">')


def table_details(audit: Audit) -> str:
    """One collapsible section per table with gaps or extras: its columns and constraints."""
    look = mt.Lookup.of(audit, audit.findings_by_item())
    parts = []
    for status in audit.tables:
        if status.state not in _GAPS:
            continue
        view = mt.table_view(audit, status, look)
        if status.state is TableState.MATCHES_WITH_EXTRAS:
            body = mt.extras_list(view)
        else:
            rows = mt.column_rows(view)  # the column table and the foreign keys both read them
            body = mt.column_table(view, rows) + mt.constraint_sections(view, rows)
        name = display_name(status)
        title = f"{name} → {status.name}" if status.state is TableState.RENAME else name
        label = status_label(status).removeprefix(name).strip()
        opened = " open" if status.critical else ""
        parts.append(
            f'<details class="table-detail" data-table="{escape(status.name)}"{opened}>'
            f"<summary><code>{escape(title)}</code> {escape(label)}</summary>{_html(chr(10).join(body))}</details>"
        )
    lead = _lead(audit)
    return lead + "\n".join(parts) if parts or lead else "<p>No table has gaps.</p>"


def _lead(audit: Audit) -> str:
    """The tables without a section of their own: the missing ones the plan creates, and those
    the other side has as another kind of object, which nothing creates."""
    lead = ""
    missing = [s.name for s in audit.tables if s.state is TableState.MISSING]
    if missing:
        names = ", ".join(f"<code>{escape(n)}</code>" for n in missing)
        noun = "table is" if len(missing) == 1 else "tables are"
        lead += f"<p>{len(missing)} missing {noun} created by the migration plan: {names}.</p>"
    other = [s for s in audit.tables if s.state is TableState.OTHER_KIND]
    if other:
        names = ", ".join(f"<code>{escape(s.name)}</code> ({escape(s.note or '')})" for s in other)
        noun = "table is" if len(other) == 1 else "tables are"
        lead += f"<p>{len(other)} {noun} another kind of object, not audited and not created: {names}.</p>"
    return lead


def outside(audit: Audit) -> str:
    """Tables ignored by configuration (with the pattern and the reason given for it) and
    migration bookkeeping tables; empty when there are none."""
    rows = []
    for status in audit.tables:
        if status.state is TableState.IGNORED:
            item = next((i for i in audit.ignored if i.name == status.name), None)
            why = (
                f"<code>{escape(item.pattern)}</code>: {escape(item.reason)} ({escape(item.side)})"
                if item is not None
                else escape(status.note or "")
            )
            rows.append((status.name, "ignored by configuration", why))
        elif status.state is TableState.BOOKKEEPING:
            rows.append((status.name, "migration bookkeeping", escape(f"{status.note}; never reported as drift")))
    if not rows:
        return ""
    body = "".join(
        f'<tr data-table="{escape(name)}"><td><code>{escape(name)}</code></td>'
        f"<td>{escape(kind)}</td><td>{why}</td></tr>"
        for name, kind, why in rows
    )
    return (
        '<table class="grid" id="outside-table"><thead><tr><th>Table</th><th>Kind</th><th>Why</th></tr></thead>'
        f"<tbody>{body}</tbody></table>"
    )


def appendix(item: Appendix) -> str:
    """An appendix's markdown without its own `## ` heading (the page gives one)."""
    text = re.sub(r"\A\s*##[^\n]*\n", "", item.markdown)
    return _html(text)
