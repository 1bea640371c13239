"""Which ADD COLUMN actions build a column that is the same under any table.

The spec source builds such a column once per distinct definition and gives it to every
table that has it (with the item's own line as origin): specs repeat `created_at
TIMESTAMPTZ NOT NULL DEFAULT now()` in every table. A key, unique, check, reference,
identity or serial takes names from its table, and MySQL's FIRST/AFTER places the column
among the table's own: those go through the ALTER TABLE path for each table.
"""

from __future__ import annotations

from sqlglot import exp

from schemaudit.sources.ddl.catalog import Catalog
from schemaudit.sources.ddl.tokens import Span, Tokens

Parsed = tuple[exp.Alter, Tokens, Catalog, list[Span]]  # an ALTER as `alter_draft` takes it

# Column clauses that change the column only, never the table it is in.
_PLAIN_CLAUSES = (
    exp.NotNullColumnConstraint,
    exp.DefaultColumnConstraint,
    exp.CollateColumnConstraint,
    exp.CommentColumnConstraint,
    exp.OnUpdateColumnConstraint,
    exp.ComputedColumnConstraint,
)


def is_plain(parsed: Parsed) -> bool:
    """Whether an ALTER is one ADD COLUMN whose column does not depend on its table."""
    node, tokens, catalog, spans = parsed
    actions = node.args.get("actions") or []
    if len(actions) != 1 or node.args.get("options") or node.args.get("not_valid"):
        return False
    column = actions[0]
    if not isinstance(column, exp.ColumnDef):
        return False
    kind = column.args.get("kind")
    if isinstance(kind, exp.DataType) and kind.this in (
        exp.DataType.Type.SERIAL,
        exp.DataType.Type.BIGSERIAL,
        exp.DataType.Type.SMALLSERIAL,
    ):
        return False
    span = spans[0]
    if span.end <= span.start:  # no tokens to say where the column is: its origin is the table's
        return False
    if catalog.dialect == "mysql" and tokens.keyword_at(span, frozenset({"FIRST", "AFTER"})) >= 0:
        return False
    for constraint in column.args.get("constraints") or []:
        clause = constraint.args.get("kind") if isinstance(constraint, exp.ColumnConstraint) else constraint
        if not isinstance(clause, _PLAIN_CLAUSES):
            return False
    return True
