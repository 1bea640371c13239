"""Report formats: one module each, found through one small registry.

    from schemaudit.report import render
    text = render(audit, "md", progress=None, color=False)

A new format is a new module with `render(audit, progress)` plus one entry in `FORMATS`.
`impact` (the code that uses renamed or missing names, `audit --code DIR`) adds a section
to every format when given.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from schemaudit.audit.findings import Severity
from schemaudit.audit.progress import Progress
from schemaudit.audit.result import Audit
from schemaudit.files import json_text
from schemaudit.report import json_report, markdown
from schemaudit.report import text as _text
from schemaudit.terminal import shown, visible_json

if TYPE_CHECKING:
    from schemaudit.impact.model import Impact

Renderer = Callable[[Audit, "Progress | None", bool, "Impact | None"], str]


def _markdown(audit: Audit, progress: Progress | None, color: bool, impact: Impact | None) -> str:
    return markdown.render(audit, progress, impact)


def _json(audit: Audit, progress: Progress | None, color: bool, impact: Impact | None) -> str:
    return json_report.render(audit, progress, impact)


def _sarif(audit: Audit, progress: Progress | None, color: bool, impact: Impact | None) -> str:
    from schemaudit.report import sarif

    return sarif.render(audit, impact)


def _html(audit: Audit, progress: Progress | None, color: bool, impact: Impact | None) -> str:
    from schemaudit.report import html_report

    return html_report.render(audit, progress, impact)


FORMATS: dict[str, Renderer] = {"md": _markdown, "json": _json, "text": _text.render, "sarif": _sarif, "html": _html}
SUFFIXES: dict[str, str] = {
    ".md": "md",
    ".markdown": "md",
    ".json": "json",
    ".txt": "text",
    ".sarif": "sarif",
    ".html": "html",
    ".htm": "html",
}


@dataclass(frozen=True, slots=True)
class Appendix:
    """Material a source adds to the report (an Alembic migration timeline, the migrations a
    database records): markdown for the markdown report, plain data for the JSON report, a
    line for the terminal report when it has one. Other formats leave it out."""

    title: str
    markdown: str
    data: dict[str, Any]
    text: str = ""  # a line for the terminal report, when the appendix has one


def render(
    audit: Audit,
    fmt: str,
    progress: Progress | None = None,
    color: bool = False,
    impact: Impact | None = None,
    appendices: tuple[Appendix, ...] = (),
    *,
    width: int | None = None,
    min_severity: Severity = Severity.INFO,
) -> str:
    """The audit in format `fmt` (a key of FORMATS), with any appendices at the end.
    `width` and `min_severity` shape the terminal report (`text`) only: the other formats
    are documents that keep every finding.

    A schema's control characters are shown escaped (`visible`): in JSON and SARIF as
    `\\uNNNN`, elsewhere as `\\x1b`... A coloured terminal report whose plain text holds any
    is drawn without colours, escaped, so no name can send its own escape sequence."""
    if fmt in ("json", "sarif"):
        return visible_json(_render(audit, fmt, progress, False, impact, appendices, width, min_severity))
    drawn = [progress]  # progress is reported by the first drawing only
    return shown(
        lambda colored: _render(
            audit, fmt, drawn.pop() if drawn else None, colored, impact, appendices, width, min_severity
        ),
        color,
    )


def _render(
    audit: Audit,
    fmt: str,
    progress: Progress | None,
    color: bool,
    impact: Impact | None,
    appendices: tuple[Appendix, ...],
    width: int | None,
    min_severity: Severity,
) -> str:
    if fmt == "text":
        text = _text.render(audit, progress, color, impact, width=width, min_severity=min_severity)
    elif fmt == "html":
        from schemaudit.report import html_report

        return html_report.render(audit, progress, impact, appendices=appendices)
    else:
        text = FORMATS[fmt](audit, progress, color, impact)
    if not appendices:
        return text
    if fmt == "md":
        return text.rstrip("\n") + "\n\n---\n\n" + "\n\n".join(a.markdown.rstrip("\n") for a in appendices) + "\n"
    if fmt == "json":
        document = json.loads(text)
        document["appendices"] = [{"title": a.title, "data": a.data} for a in appendices]
        return json_text(document)
    if fmt == "text":
        return text + "".join(f"{a.text}\n" for a in appendices if a.text)
    shown = [a for a in appendices if a.text]
    if fmt == "sarif" and shown:
        from schemaudit.report.appendix import sarif_notifications

        log = json.loads(text)
        run = log["runs"][0]
        run["properties"]["appendices"] = [{"title": a.title, "data": a.data} for a in shown]
        invocations = run.setdefault("invocations", [{"executionSuccessful": True}])
        notes = [n for a in shown for n in sarif_notifications(a.text, a.data)]
        invocations[0]["toolExecutionNotifications"] = [*invocations[0].get("toolExecutionNotifications", []), *notes]
        return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
    return text


__all__ = ["FORMATS", "SUFFIXES", "Appendix", "render"]
