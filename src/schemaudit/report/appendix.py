"""Appendices in the HTML page and the SARIF log: what the sources add beside the findings
(the migrations a database records, an Alembic history's timeline).

The markdown, JSON and terminal reports carry them since they were written (markdown text,
plain data, one line); a page and a code-scanning log need them as much, since a pending or
failed migration is the commonest cause of drift between environments. Both are drawn from
the appendix's plain data, the same the JSON report holds. Only appendices that have a
line for the terminal have one here (the migration timeline stays in markdown and JSON).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

_STATUS = (("applied", "applied"), ("pending", "pending"), ("unknown", "unknown to the history"))


def html_section(title: str, text: str, data: Mapping[str, Any]) -> str:
    """An appendix as the body of a page section."""
    parts = [f'<p class="sev critical"><strong>A migration failed part-way.</strong> {escape(p)}.</p>'
             for p in data.get("problems", ())]  # fmt: skip
    parts += [f"<p>{escape(line.removeprefix('migrations: '))}</p>" for line in text.splitlines()[:1] if line]
    alembic = data.get("alembic")
    if isinstance(alembic, Mapping):
        rows = [
            f'<tr><td><code>{escape(str(r))}</code></td><td class="{key}">{label}</td></tr>'
            for key, label in _STATUS
            for r in alembic.get(key, ())
        ]
        if rows:
            parts.append("<table><thead><tr><th>revision</th><th>status</th></tr></thead><tbody>")
            parts += [*rows, "</tbody></table>"]
    markers = data.get("markers")
    if isinstance(markers, Sequence):
        items = []
        for m in markers:
            entries = list(m.get("entries", ()))
            last = f"; last: <code>{escape(entries[-1])}</code>" if entries else ""
            items.append(
                f"<li><code>{escape(m['table'])}</code> ({escape(m['tool'])}): {len(entries)} recorded{last}</li>"
            )
        parts.append("<ul>" + "".join(items) + "</ul>")
    return "\n".join(parts) or f"<p>{escape(title)}: nothing recorded.</p>"


def sarif_notifications(text: str, data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """An appendix's lines as notifications of the run: a failed migration as a warning,
    the rest as notes."""
    notes = [{"level": "warning", "message": {"text": f"a migration failed part-way: {p}"}}
             for p in data.get("problems", ())]  # fmt: skip
    notes += [
        {"level": "note", "message": {"text": line}}
        for line in text.splitlines()
        if line and not line.startswith("migrations: FAILED")
    ]
    return notes
