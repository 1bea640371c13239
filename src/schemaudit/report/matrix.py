"""The N-way drift report (`schemaudit matrix`) in every format: text, md, json, sarif, html.

One row per drifted object; one column per source, showing which group of agreeing sources
it belongs to (A is the largest); then the sources that differ and what differs, pair by pair.
"""

from __future__ import annotations

import html
import io
import json
from typing import Any

from schemaudit import __version__
from schemaudit.audit.matrix import Matrix, ObjectDrift
from schemaudit.terminal import visible_line

FORMAT = "schemaudit-matrix"
VERSION = 1
_SARIF_LEVEL = {"critical": "error", "warning": "warning", "info": "note"}


def render(result: Matrix, fmt: str, color: bool = False, width: int = 120) -> str:
    if fmt == "json":
        return json.dumps(to_dict(result), indent=2, ensure_ascii=False) + "\n"
    if fmt == "md":
        return _markdown(result)
    if fmt == "sarif":
        return json.dumps(_sarif(result), indent=2, ensure_ascii=False) + "\n"
    if fmt == "html":
        return _html(result)
    return _text(result, color, width)


def _cells(result: Matrix, drift: ObjectDrift) -> list[str]:
    letter = {label: chr(ord("A") + n) for n, group in enumerate(drift.groups) for label in group}
    return [letter[label] for label in result.labels]


def _differs(drift: ObjectDrift) -> str:
    return ", ".join(drift.differs) if drift.differs else "no majority"


def _summary(result: Matrix) -> str:
    if not result.objects:
        return f"all {len(result.labels)} sources agree"
    return f"{len(result.objects)} object(s) differ between {len(result.labels)} sources"


def to_dict(result: Matrix) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": VERSION,
        "generator": f"schemaudit {__version__}",
        "sources": [{"label": label, "dialect": d} for label, d in zip(result.labels, result.dialects, strict=True)],
        "config": result.config,
        "objects": [
            {
                "object": d.object,
                "severity": d.severity.value,
                "groups": [list(g) for g in d.groups],
                "differs": list(d.differs),
                "details": list(d.details),
            }
            for d in result.objects
        ],
    }


def _text(result: Matrix, color: bool, width: int) -> str:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=color, no_color=not color, width=width)
    console.print(f"[bold]{_summary(result)}[/bold]", highlight=False)
    for n, (label, dialect) in enumerate(zip(result.labels, result.dialects, strict=True), 1):
        console.print(f"  {n}. {visible_line(label)} ({dialect})", highlight=False, markup=False)
    if result.objects:
        table = Table(show_lines=False)
        table.add_column("object")
        for n in range(1, len(result.labels) + 1):
            table.add_column(str(n), justify="center")
        table.add_column("differs")
        for drift in result.objects:
            # names reach rich escaped: it would read `[...]` as markup and drop BEL, BS, VT, FF and CR
            table.add_row(
                escape(visible_line(drift.object)), *_cells(result, drift), escape(visible_line(_differs(drift)))
            )
        console.print(table)
    return buffer.getvalue()


def _md(text: str) -> str:
    return text.replace("|", "\\|")


def _markdown(result: Matrix) -> str:
    lines = [f"# Schema drift across {len(result.labels)} sources", "", f"**{_summary(result)}.**", ""]
    lines += [
        f"{n}. `{label}` ({d})" for n, (label, d) in enumerate(zip(result.labels, result.dialects, strict=True), 1)
    ]
    if result.config:
        lines += ["", f"**Configuration:** `{result.config}`"]
    if result.objects:
        numbers = " | ".join(str(n) for n in range(1, len(result.labels) + 1))
        lines += ["", "Sources marked with the same letter agree on the object (A: the largest group).", ""]
        lines += [f"| object | {numbers} | differs | severity |", "|---|" + "---|" * len(result.labels) + "---|---|"]
        for d in result.objects:
            cells = " | ".join(_cells(result, d))
            lines.append(f"| {_md(d.object)} | {cells} | {_md(_differs(d))} | {d.severity.value} |")
        lines += ["", "## What differs", ""]
        for d in result.objects:
            lines.append(f"- **{_md(d.object)}**")
            lines += [f"  - {_md(detail)}" for detail in d.details]
    return "\n".join(lines) + "\n"


def _sarif(result: Matrix) -> dict[str, Any]:
    results = [
        {
            "ruleId": "SM001",
            "level": _SARIF_LEVEL[d.severity.value],
            "message": {"text": f"{d.object}: {_differs(d)} differs ({'; '.join(d.details)})"},
            "locations": [{"logicalLocations": [{"fullyQualifiedName": d.object, "kind": "member"}]}],
        }
        for d in result.objects
    ]
    rule = {
        "id": "SM001",
        "name": "SourcesDisagree",
        "shortDescription": {"text": "An object differs between schema sources that should agree"},
    }
    driver = {"name": "schemaudit", "version": __version__, "informationUri": "https://pypi.org/project/schemaudit/"}
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{"tool": {"driver": {**driver, "rules": [rule]}}, "results": results}],
    }


def _html(result: Matrix) -> str:
    e = html.escape
    head = "".join(f"<th>{n}</th>" for n in range(1, len(result.labels) + 1))
    rows = "".join(
        f"<tr><td>{e(d.object)}</td>"
        + "".join(f'<td class="g{c}">{c}</td>' for c in _cells(result, d))
        + f"<td>{e(_differs(d))}</td><td>{e(d.severity.value)}</td></tr>"
        for d in result.objects
    )
    sources = "".join(
        f"<li><code>{e(label)}</code> ({e(d)})</li>" for label, d in zip(result.labels, result.dialects, strict=True)
    )
    details = "".join(
        f"<li><b>{e(d.object)}</b><ul>{''.join(f'<li>{e(x)}</li>' for x in d.details)}</ul></li>"
        for d in result.objects
    )
    style = "body{font-family:sans-serif}td,th{border:1px solid #ccc;padding:2px 6px}.gA{background:#e6f4ea}"
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>schemaudit matrix</title>'
        f"<style>{style}</style></head><body><h1>{e(_summary(result))}</h1><ol>{sources}</ol>"
        f"<table><tr><th>object</th>{head}<th>differs</th><th>severity</th></tr>{rows}</table>"
        f"<ul>{details}</ul></body></html>\n"
    )
