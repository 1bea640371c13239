"""The impact section as each report shows it: markdown lines, a terminal table, JSON data.

One wording for every format: a summary per file (which names to update there), then every
line with its location, the change it is about and the line itself, then the files that were
not searched and why. Paths are shown as the user reaches them (`--code DIR` joined with the
path inside it), so `path:line` can be pasted into an editor.
"""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.markup import escape
from rich.table import Table as RichTable
from rich.text import Text

from schemaudit.impact.listing import language
from schemaudit.impact.model import Hit, Impact
from schemaudit.impact.rules import rule_for
from schemaudit.report import md
from schemaudit.report.common import counted
from schemaudit.terminal import visible, visible_line

TITLE = "Files requiring code changes"
SKIPPED_SHOWN = 20


def intro(impact: Impact, root: str | None = None) -> str:
    """What the section shows; `root` is the folder as the format writes it."""
    return f"Code under {root if root is not None else impact.root} {intro_tail(impact)}"


def intro_tail(impact: Impact) -> str:
    return (
        "that uses a name the migration changes: renamed tables and columns by their old name, missing ones "
        f"by the name the database lacks. {impact.files_scanned} file{'' if impact.files_scanned == 1 else 's'} "
        f"read, listed by {impact.listing}."
    )


def verdict(impact: Impact) -> str:
    if not impact.names:
        return "No table or column is renamed or missing: there is no name to look for in code."
    if not impact.hits:
        return "No code uses a renamed or missing name."
    files = len(impact.files)
    return (
        f"{impact.line_count} line{'s' if impact.line_count != 1 else ''} in {files} "
        f"file{'s' if files != 1 else ''} use a renamed or missing name."
    )


def change_label(hit: Hit) -> str:
    return "; ".join(n.label for n in hit.names)


# ---- markdown ----------------------------------------------------------------------------


def markdown_lines(impact: Impact) -> list[str]:
    """The section body (the caller writes the heading)."""
    lines = ["", intro(impact, md.inline(impact.root))]
    lines += ["", f"**{md.text(verdict(impact))}**"]
    if impact.hits:
        summary = [
            (
                md.code(impact.display_path(f.path)),
                str(len(f.lines)),
                md.codes((n.label for n in f.names), "<br>"),
            )
            for f in impact.files
        ]
        lines += ["", *md.table(("File", "Lines", "Changes"), summary)]
        rows = []
        for f in impact.files:
            for line, hits in f.lines:
                rows.append(
                    (
                        md.code(f"{impact.display_path(f.path)}:{line}"),
                        md.codes(dict.fromkeys(n.label for h in hits for n in h.names), "<br>"),
                        md.code(hits[0].text),
                    )
                )
        lines += ["", "**Uses:**", "", *md.table(("Location", "Change", "Code"), rows)]
    if impact.skipped:
        lines += ["", f"**Not searched ({len(impact.skipped)}):**", ""]
        lines += [
            f"- {md.inline(impact.display_path(s.path))}: {md.text(s.reason)}" for s in impact.skipped[:SKIPPED_SHOWN]
        ]
        if len(impact.skipped) > SKIPPED_SHOWN:
            lines.append(f"- … and {len(impact.skipped) - SKIPPED_SHOWN} more (all are listed in the JSON report)")
    return lines


# ---- terminal ----------------------------------------------------------------------------


def rich_section(impact: Impact) -> RenderableType:
    head = Text()
    head.append(TITLE.lower(), style="bold")
    head.append(f" under {visible_line(impact.root)}: ")
    head.append(verdict(impact), style="yellow" if impact.hits else "green")
    head.append(f" ({impact.files_scanned} file{'' if impact.files_scanned == 1 else 's'} read)")
    parts: list[RenderableType] = [head]
    if impact.hits:
        grid = RichTable(expand=False, show_edge=True)
        for heading in ("location", "change", "code"):
            grid.add_column(heading, overflow="fold")
        for f in impact.files:
            for line, hits in f.lines:
                labels = "; ".join(dict.fromkeys(n.label for h in hits for n in h.names))
                where = f"{impact.display_path(f.path)}:{line}"
                grid.add_row(escape(visible_line(where)), escape(visible_line(labels)), escape(visible(hits[0].text)))
        parts.append(grid)
    for s in impact.skipped[:SKIPPED_SHOWN]:
        parts.append(Text(visible_line(f"not searched: {impact.display_path(s.path)}: {s.reason}"), style="dim"))
    if len(impact.skipped) > SKIPPED_SHOWN:
        parts.append(Text(f"not searched: {counted(len(impact.skipped) - SKIPPED_SHOWN, 'more file')}", style="dim"))
    return Group(*parts)


# ---- JSON --------------------------------------------------------------------------------


def to_dict(impact: Impact) -> dict[str, Any]:
    return {
        "root": impact.root,
        "listing": impact.listing,
        "files_scanned": impact.files_scanned,
        "names": [
            {
                "kind": n.kind.value,
                "change": n.change,
                "table": n.table,
                "current_table": n.current_table,
                "name": n.name,
                "new_name": n.new_name,
                "finding": n.code,
                "rule": rule_for(n).code,
                "standalone": n.standalone,
            }
            for n in impact.names
        ],
        "files": [
            {
                "path": impact.display_path(f.path),
                "language": language(f.path),
                "uses": [
                    {
                        "line": h.line,
                        "column": h.column,
                        "name": h.spelling,
                        "qualified": h.qualified,
                        "changes": [n.label for n in h.names],
                        "text": h.text,
                    }
                    for h in f.hits
                ],
            }
            for f in impact.files
        ],
        "skipped": [{"path": impact.display_path(s.path), "reason": s.reason} for s in impact.skipped],
    }
