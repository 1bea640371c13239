"""Appendices in the SARIF log: what the sources add beside the findings (the migrations a
database records) as run properties and notifications.

The markdown, JSON, terminal and HTML reports carry them (markdown text, plain data, one
line, the markdown drawn as HTML); a code-scanning log needs them as much, since a pending
or failed migration is the commonest cause of drift between environments. Only appendices
that have a line for the terminal are added (the migration timeline stays in the others).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_STATUS = (("applied", "applied"), ("pending", "pending"), ("unknown", "unknown to the history"))


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
