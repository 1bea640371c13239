"""Report formats: one module each, found through one small registry.

    from schemaudit.report import render
    text = render(audit, "md", progress=None, color=False)

A new format is a new module with `render(audit, progress)` plus one entry in `FORMATS`.
"""

from __future__ import annotations

from collections.abc import Callable

from schemaudit.audit.progress import Progress
from schemaudit.audit.result import Audit
from schemaudit.report import json_report, markdown, text

Renderer = Callable[[Audit, "Progress | None", bool], str]


def _markdown(audit: Audit, progress: Progress | None, color: bool) -> str:
    return markdown.render(audit, progress)


def _json(audit: Audit, progress: Progress | None, color: bool) -> str:
    return json_report.render(audit, progress)


FORMATS: dict[str, Renderer] = {"md": _markdown, "json": _json, "text": text.render}
SUFFIXES: dict[str, str] = {".md": "md", ".markdown": "md", ".json": "json", ".txt": "text"}


def render(audit: Audit, fmt: str, progress: Progress | None = None, color: bool = False) -> str:
    """The audit in format `fmt` (a key of FORMATS)."""
    return FORMATS[fmt](audit, progress, color)


__all__ = ["FORMATS", "SUFFIXES", "render"]
