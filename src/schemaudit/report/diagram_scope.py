"""Which tables a report's diagram draws: for a big schema, the tables with gaps and their
foreign-key neighbours, not one box per matching table.

One box per matching table is a wall, not a picture (124 of 134 in Synapse's schema read
against its own SQLite version; 9 of 12 in the anime catalogue), and the matching tables are
named elsewhere in the report. The markdown and HTML reports draw the same tables.
"""

from __future__ import annotations

from schemaudit.audit.result import Audit, TableState, TableStatus

# Fewer left out than this: all drawn (the note saying what is left out costs as much).
LEAVE_OUT_AT_LEAST = 3
ALL_MATCH_DRAWN = 30  # a schema without gaps is drawn whole up to this size
_OK = (TableState.MATCHES, TableState.MATCHES_WITH_EXTRAS)
_OUTSIDE = (TableState.IGNORED, TableState.BOOKKEEPING)


def drawn(audit: Audit) -> tuple[list[TableStatus], list[TableStatus]]:
    """The audited tables the diagram draws, and the matching tables it leaves out (empty
    when it draws every audited table). Ignored and bookkeeping tables are not among them."""
    inside = [t for t in audit.tables if t.state not in _OUTSIDE]
    gaps = {t.name for t in inside if t.state not in _OK}
    near = set(gaps)
    for table in audit.target.tables:
        for fk in table.foreign_keys:
            if table.name in gaps or fk.ref_table in gaps:
                near.update((table.name, fk.ref_table))
    shown = [t for t in inside if t.name in near]
    if len(inside) - len(shown) < LEAVE_OUT_AT_LEAST or (not shown and len(inside) <= ALL_MATCH_DRAWN):
        return inside, []
    return shown, [t for t in inside if t.name not in near]
