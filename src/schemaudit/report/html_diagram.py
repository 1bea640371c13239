"""The table diagram of the HTML report: an inline SVG laid out here, no library, no network.

Tables are boxes coloured by their audit status; foreign keys are arrows from the table that
holds the key to the table it references. The layout is layered: a table sits one column to
the right of the deepest table it references (cycles are cut where the depth-first walk finds
them), so arrows mostly point left, and within a column tables are ordered by the average row
of the tables they reference, which keeps most arrows short. A tall column wraps into
several. Deterministic: the same audit draws the same picture. A big schema is drawn as the
markdown report draws it: the tables with gaps and their neighbours, the rest named in a list.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

from schemaudit.audit.result import Audit, TableState, TableStatus
from schemaudit.diff import changes as ch
from schemaudit.report import diagram_scope
from schemaudit.report.common import display_name, gap_counts

BOX_W, BOX_H, GAP_X, GAP_Y, MARGIN = 190, 44, 70, 18, 16
NAME_CHARS, DETAIL_CHARS = 32, 40  # what a box's two lines hold before an ellipsis
# Text wider than the box (13 px bold names at about 7.4 px a character, 11 px details at
# about 6 px) is drawn condensed to the box's inner width (SVG textLength), so a long name
# stays whole and inside its box rather than running over the next one.
NAME_FITS, DETAIL_FITS = 21, 27
MAX_TABLES = 1500  # above this the diagram is left out (the findings table still lists all)

# state -> (css class, legend label)
STATE_CLASS: dict[TableState, tuple[str, str]] = {
    TableState.MATCHES: ("ok", "matches"),
    TableState.MATCHES_WITH_EXTRAS: ("ok", "matches"),
    TableState.GAPS: ("gap", "gaps"),
    TableState.RENAME: ("gap", "gaps"),
    TableState.MISSING: ("missing", "missing"),
    TableState.EXTRA: ("extra", "extra, not in target"),
    TableState.OTHER_KIND: ("other", "another kind (view, virtual table)"),
    TableState.IGNORED: ("outside", "ignored / bookkeeping"),
    TableState.BOOKKEEPING: ("outside", "ignored / bookkeeping"),
}


@dataclass(frozen=True, slots=True)
class Edge:
    child: str
    parent: str
    label: str
    missing: bool  # the target wants this key and the current schema lacks it


@dataclass(frozen=True, slots=True)
class Box:
    status: TableStatus
    x: int
    y: int


def edges(audit: Audit) -> tuple[Edge, ...]:
    """Foreign keys between the tables of the diagram: the target's (marked missing where
    the current schema lacks them), plus those of tables only the current schema has."""
    statuses = {s.name.lower(): s.name for s in audit.tables}
    by_current = {s.current.lower(): s.name for s in audit.tables if s.current}
    missing_keys = {(c.table, c.to) for c in audit.changes.changes if isinstance(c, ch.AddForeignKey)}
    missing_tables = {c.table for c in audit.changes.changes if isinstance(c, ch.AddTable)}
    found: dict[tuple[str, str, str], Edge] = {}
    for table in audit.target.tables:
        for fk in table.foreign_keys:
            parent = statuses.get(fk.ref_table.lower())
            if parent is None or table.name.lower() not in statuses:
                continue
            label = f"{table.name}({', '.join(fk.columns)}) → {fk.ref_table}"
            missing = table.name in missing_tables or (table.name, fk) in missing_keys
            found.setdefault((table.name, parent, label), Edge(table.name, parent, label, missing))
    target_names = {t.name.lower() for t in audit.target.tables}
    for table in audit.current.tables:
        child = by_current.get(table.name.lower())
        if child is None or child.lower() in target_names:
            continue
        for fk in table.foreign_keys:
            parent = by_current.get(fk.ref_table.lower()) or statuses.get(fk.ref_table.lower())
            if parent is not None:
                label = f"{table.name}({', '.join(fk.columns)}) → {fk.ref_table}"
                found.setdefault((child, parent, label), Edge(child, parent, label, False))
    return tuple(found[k] for k in sorted(found))


def layout(statuses: tuple[TableStatus, ...], links: tuple[Edge, ...]) -> tuple[tuple[Box, ...], int, int]:
    """Boxes with their positions, and the drawing's width and height."""
    names = [s.name for s in statuses]
    parents: dict[str, list[str]] = {n: [] for n in names}
    for e in links:
        if e.child != e.parent and e.parent not in parents[e.child]:
            parents[e.child].append(e.parent)
    depth = _depths(names, parents)
    columns: dict[int, list[str]] = {}
    for name in names:
        columns.setdefault(depth[name], []).append(name)
    rows_max = max(8, math.ceil(math.sqrt(len(names)) * 1.5))
    row_of: dict[str, float] = {}
    placed: dict[str, tuple[int, int]] = {}
    x_slot = 0
    for level in sorted(columns):
        members = columns[level]

        def barycenter(name: str) -> tuple[float, str]:
            rows = [row_of[p] for p in parents[name] if p in row_of]
            return (sum(rows) / len(rows) if rows else -1.0, name)

        members.sort(key=barycenter)
        for i, name in enumerate(members):
            slot, row = divmod(i, rows_max)
            placed[name] = (x_slot + slot, row)
            row_of[name] = row
        x_slot += math.ceil(len(members) / rows_max)
    by_name = {s.name: s for s in statuses}
    boxes = tuple(
        Box(by_name[n], MARGIN + col * (BOX_W + GAP_X), MARGIN + row * (BOX_H + GAP_Y))
        for n, (col, row) in sorted(placed.items(), key=lambda item: (item[1], item[0]))
    )
    width = max((b.x for b in boxes), default=0) + BOX_W + MARGIN
    height = max((b.y for b in boxes), default=0) + BOX_H + MARGIN
    return boxes, width, height


def scope(audit: Audit) -> tuple[tuple[TableStatus, ...], tuple[TableStatus, ...]]:
    """The tables drawn and the matching tables left out: every table of either schema for a
    small one (ignored ones in grey), else the markdown report's choice, the tables with gaps
    and their foreign-key neighbours (`diagram_scope.py`)."""
    shown, left_out = diagram_scope.drawn(audit)
    if not left_out:
        return audit.tables, ()
    return tuple(shown), tuple(left_out)


def svg(audit: Audit, statuses: tuple[TableStatus, ...] | None = None) -> str:
    """The diagram as an inline <svg>, or a sentence saying why there is none. `statuses`:
    the tables `scope(audit)` draws, when the caller has them already."""
    statuses = scope(audit)[0] if statuses is None else statuses
    if not statuses:
        return "<p>No tables on either side.</p>"
    if len(statuses) > MAX_TABLES:
        return f"<p>{len(statuses)} tables: too many to draw (the limit is {MAX_TABLES}).</p>"
    names = {s.name for s in statuses}
    links = tuple(e for e in edges(audit) if e.child in names and e.parent in names)
    boxes, width, height = layout(statuses, links)
    where = {b.status.name: b for b in boxes}
    out = [
        f'<svg id="diagram" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'style="max-width: {width}px" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="Tables coloured by status, with foreign keys">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="arrowhead"/></marker></defs>',
    ]
    for e in links:
        out.append(_edge(where[e.child], where[e.parent], e))
    for b in boxes:
        out.append(_box(b))
    out.append("</svg>")
    return "\n".join(out)


def _depths(names: list[str], parents: dict[str, list[str]]) -> dict[str, int]:
    """Longest chain of references below each table; an edge back into the walk's current
    path (a cycle) is ignored. Iterative, so a long chain cannot hit the recursion limit."""
    depth: dict[str, int] = {}
    on_path: set[str] = set()
    for start in names:
        if start in depth:
            continue
        stack: list[tuple[str, int]] = [(start, 0)]
        on_path.add(start)
        while stack:
            name, i = stack[-1]
            refs = parents[name]
            if i < len(refs):
                stack[-1] = (name, i + 1)
                ref = refs[i]
                if ref not in depth and ref not in on_path:
                    on_path.add(ref)
                    stack.append((ref, 0))
                continue
            depth[name] = 1 + max((depth[r] for r in refs if r in depth), default=-1)
            on_path.discard(name)
            stack.pop()
    return depth


def _box(b: Box) -> str:
    s = b.status
    css, _ = STATE_CLASS[s.state]
    if css == "gap" and s.critical:
        css = "gap critical"
    name = display_name(s)
    detail = _detail(s)
    tooltip = f"{name}: {detail}"
    if s.state is TableState.RENAME and s.target:
        tooltip = f"{name} → {s.target}: {detail}"
        if len(f"{name} → {s.target}") <= NAME_CHARS:
            name = f"{name} → {s.target}"
        else:  # the new name on the second line, with the counts when they fit
            counted = f"→ {s.target}: {detail.partition(': ')[2]}"
            detail = counted if len(counted) <= DETAIL_CHARS else f"→ {s.target}"
    return (
        f'<g class="table {css}" data-table="{escape(s.name)}" tabindex="0">'
        f"<title>{escape(tooltip)}</title>"
        f'<rect x="{b.x}" y="{b.y}" width="{BOX_W}" height="{BOX_H}" rx="6"/>'
        f'<text x="{b.x + 10}" y="{b.y + 18}" class="name"{_condensed(name, NAME_FITS)}>'
        f"{escape(_fit(name, NAME_CHARS))}</text>"
        f'<text x="{b.x + 10}" y="{b.y + 35}" class="detail"{_condensed(detail, DETAIL_FITS)}>'
        f"{escape(_fit(detail, DETAIL_CHARS))}</text>"
        "</g>"
    )


def _detail(s: TableStatus) -> str:
    counts = gap_counts(s)  # as the markdown report's status label counts them
    word = {
        TableState.MATCHES: "matches",
        TableState.MATCHES_WITH_EXTRAS: "matches + extras",
        TableState.GAPS: "gaps",
        TableState.RENAME: "rename",
        TableState.MISSING: "missing",
        TableState.EXTRA: "extra, safe to keep",
        TableState.OTHER_KIND: s.note or "another kind",
        TableState.IGNORED: "ignored",
        TableState.BOOKKEEPING: "bookkeeping",
    }[s.state]
    return f"{word}: {counts}" if counts and s.state in (TableState.GAPS, TableState.RENAME) else word


def _edge(child: Box, parent: Box, e: Edge) -> str:
    css = "fk missing" if e.missing else "fk"
    title = f"<title>{escape(e.label)}{' (missing)' if e.missing else ''}</title>"
    ends = f'data-from="{escape(e.child)}" data-to="{escape(e.parent)}"'
    if child is parent:
        x, y = child.x + BOX_W, child.y + BOX_H // 2
        d = f"M{x},{y - 8} C{x + 30},{y - 30} {x + 30},{y + 30} {x},{y + 8}"
        return f'<path class="{css}" {ends} d="{d}" marker-end="url(#arrow)">{title}</path>'
    if parent.x < child.x:
        x1, x2 = child.x, parent.x + BOX_W
    elif parent.x > child.x:
        x1, x2 = child.x + BOX_W, parent.x
    else:  # same column: leave and enter on the right
        x1, x2 = child.x + BOX_W, parent.x + BOX_W
    y1, y2 = child.y + BOX_H // 2, parent.y + BOX_H // 2
    bend = max(30, abs(x1 - x2) // 2)
    c1 = x1 - bend if x1 > x2 else x1 + bend
    c2 = x2 + bend if x1 > x2 or x1 == x2 else x2 - bend
    if x1 == x2:
        c1 = x1 + bend
    d = f"M{x1},{y1} C{c1},{y1} {c2},{y2} {x2},{y2}"
    return f'<path class="{css}" {ends} d="{d}" marker-end="url(#arrow)">{title}</path>'


def _condensed(text: str, fits: int) -> str:
    """The attributes that squeeze a text longer than `fits` characters into the box."""
    if len(text) <= fits:
        return ""
    return f' textLength="{BOX_W - 20}" lengthAdjust="spacingAndGlyphs"'


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
