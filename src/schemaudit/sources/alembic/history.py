"""What each Alembic revision did, as replayed: the migration timeline and its renderings.

A `History` is recorded by instrumenting Alembic's operations while each revision's
`upgrade()` runs on the scratch database (`record`), so it says what really ran: a
conditional migration that found nothing to do on a fresh database touched no table, and an
`op.execute("ALTER TABLE ...")` counts for the table it names. `schemaudit history` prints it;
an audit report shows it as an appendix (`appendix_markdown`).
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import asdict, dataclass, field
from typing import Any

CREATED, ALTERED, DROPPED, DATA = "created", "altered", "dropped", "data"
EFFECTS = (CREATED, ALTERED, DROPPED, DATA)


@dataclass(frozen=True, slots=True)
class Part:
    """An object defined inside `op.create_table(...)`: a column, key, constraint or index."""

    kind: str  # "column", "primary_key", "foreign_key", "unique", "check", "index"
    name: str | None
    columns: tuple[str, ...]
    line: int


@dataclass(frozen=True, slots=True)
class OpRecord:
    """One operation a revision ran, with the line of its call in the revision file.

    `action` is the Alembic operation (`create_table`, `add_column`, `create_foreign_key`,
    `execute`, ...); `table` the table it works on, and `effect` whether it created, altered
    or dropped it or only wrote rows (`data`); `name` the column, index or constraint;
    `new_name` the new name of a renamed table or column.
    """

    action: str
    table: str | None
    line: int
    effect: str = ALTERED
    name: str | None = None
    new_name: str | None = None
    columns: tuple[str, ...] = ()
    parts: tuple[Part, ...] = ()

    @property
    def touched(self) -> tuple[str, ...]:
        names = (self.table,) if self.table else ()
        return (*names, self.new_name) if self.action == "rename_table" and self.new_name else names

    def describe(self) -> str:
        """`add_column users.avatar`, `rename_table a -> b`, `create_index anime.ix_anime_title (title)`."""
        cols = f" ({', '.join(self.columns)})" if self.columns else ""
        target = ".".join(x for x in (self.table or "SQL", self.name) if x)
        if self.new_name:
            target += f" -> {self.new_name}"
        return f"{self.action} {target}{cols}"


@dataclass(frozen=True, slots=True)
class RevisionRecord:
    revision: str
    down_revisions: tuple[str, ...]
    path: str
    message: str
    date: str | None
    ops: tuple[OpRecord, ...] = ()

    def tables(self, effect: str) -> tuple[str, ...]:
        """Tables this revision created / altered / dropped / wrote rows to (a table created
        or dropped here is not also listed as altered), in the order first touched."""
        seen: dict[str, str] = {}
        for op in self.ops:
            for table in op.touched:
                previous = seen.get(table)
                if previous is None or (previous in (ALTERED, DATA) and op.effect in (CREATED, DROPPED)):
                    seen[table] = op.effect
        return tuple(t for t, e in seen.items() if e == effect)

    @property
    def affected(self) -> str:
        """`created: a, b; altered: c; dropped: d`, or `no schema changes`."""
        parts = [f"{effect}: {', '.join(names)}" for effect in EFFECTS if (names := self.tables(effect))]
        return "; ".join(parts) or "no schema changes"

    @property
    def short_date(self) -> str:
        """`YYYY-MM-DD HH:MM` from the Create Date header (as written when not ISO-like)."""
        if not self.date:
            return ""
        match = re.match(r"^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})", self.date)
        return f"{match.group(1)} {match.group(2)}" if match else self.date


@dataclass(frozen=True, slots=True)
class History:
    """The revisions replayed, in upgrade order, and the revision the replay stopped at."""

    source: str
    revisions: tuple[RevisionRecord, ...]
    head: str | None
    scratch: str = "sqlite"
    notes: tuple[str, ...] = field(default=())


def to_dict(history: History) -> dict[str, Any]:
    return asdict(history)


def from_dict(data: dict[str, Any]) -> History:
    def op(raw: dict[str, Any]) -> OpRecord:
        parts = tuple(Part(p["kind"], p["name"], tuple(p["columns"]), p["line"]) for p in raw["parts"])
        return OpRecord(
            raw["action"],
            raw["table"],
            raw["line"],
            raw["effect"],
            raw["name"],
            raw["new_name"],
            tuple(raw["columns"]),
            parts,
        )

    revisions = tuple(
        RevisionRecord(
            r["revision"],
            tuple(r["down_revisions"]),
            r["path"],
            r["message"],
            r["date"],
            tuple(op(o) for o in r["ops"]),
        )
        for r in data["revisions"]
    )
    return History(data["source"], revisions, data["head"], data["scratch"], tuple(data["notes"]))


# ---- renderings ----------------------------------------------------------------------------

_HEADERS = ("Revision", "Date", "Message", "Tables affected")


def _rows(history: History) -> list[tuple[str, str, str, str]]:
    return [(r.revision, r.short_date, r.message, r.affected) for r in history.revisions]


def timeline_text(history: History, verbose: bool = False, width: int | None = None) -> str:
    """Plain aligned columns for a terminal; `verbose` adds every operation with its line.
    With a `width` (the terminal's), the message and the tables wrap at spaces inside their
    columns, so a row never runs past the edge and no name is cut in two."""
    rows = _rows(history)
    widths = [max([len(h), *(len(row[i]) for row in rows)]) for i, h in enumerate(_HEADERS[:3])]
    tables_width = max([len(_HEADERS[3]), *(len(row[3]) for row in rows)])
    if width is not None and sum(widths) + 6 + tables_width > width:
        room = max(width - widths[0] - widths[1] - 6, 24)  # what Message and Tables share
        widths[2] = min(widths[2], max(len(_HEADERS[2]), room * 2 // 5))
        tables_width = room - widths[2]
    lines = [f"Migration history of {history.source} ({len(rows)} revisions, head {history.head or '-'})", ""]
    lines.append("  ".join(h.ljust(w) for h, w in zip(_HEADERS[:3], widths, strict=False)) + "  " + _HEADERS[3])
    for record, row in zip(history.revisions, rows, strict=True):
        message, tables = _wrap(row[2], widths[2]), _wrap(row[3], tables_width)
        for i in range(max(len(message), len(tables))):
            cells = (row[0] if i == 0 else "", row[1] if i == 0 else "", message[i] if i < len(message) else "")
            line = "  ".join(v.ljust(w) for v, w in zip(cells, widths, strict=False))
            lines.append((line + "  " + (tables[i] if i < len(tables) else "")).rstrip())
        if verbose:
            lines.extend(f"    {record.path}:{op.line}  {op.describe()}" for op in record.ops)
    lines.extend(f"note: {n}" for n in history.notes)
    return "\n".join(lines) + "\n"


def _wrap(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` characters, broken at spaces only (a longer word
    keeps a line of its own)."""
    return textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False) or [""]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def timeline_markdown(history: History) -> str:
    """The timeline as a markdown table (the seed report's "Migration Timeline")."""
    lines = [f"| {' | '.join(_HEADERS)} |", "|" + "---|" * len(_HEADERS)]
    lines.extend(f"| {' | '.join(_cell(v) for v in row)} |" for row in _rows(history))
    lines.extend(f"\nNote: {n}" for n in history.notes)
    return "\n".join(lines) + "\n"


def appendix_markdown(history: History) -> str:
    """The report appendix: a heading, where the history was read, and the timeline."""
    head = history.head or "-"
    return (
        "## Appendix: Migration History\n\n"
        f"Replayed from `{history.source}` up to `{head}` on a scratch {history.scratch} database "
        f"({len(history.revisions)} revisions).\n\n" + timeline_markdown(history)
    )
