"""What a PostgreSQL column's stored expression means: a default, an identity (`serial` or
GENERATED ... AS IDENTITY) or a stored generated column. Kept apart from the bulk reader
because telling `serial` from a sequence of its own takes PostgreSQL's naming rules."""

from __future__ import annotations

from typing import Any

from schemaudit.model import Generated, Identity

Row = tuple[Any, ...]
_IDENTITY_KINDS = {"a": "always", "d": "by default"}


def value_source(
    expr: str | None, identity: str, generated: str, seq: Row | None, schema: str, column: str = ""
) -> tuple[str | None, Identity | None, Generated | None]:
    """(default, identity, generated). A nextval default of an owned sequence is `serial` only
    if `serial` made it (`t_col_seq`, 1 by 1); else the sequence is an object of its own."""
    if generated == "s" and expr is not None:
        return None, None, Generated(expr, stored=True)
    if seq is None:  # the common case, kept cheap
        if identity in _IDENTITY_KINDS:
            return None, Identity(_IDENTITY_KINDS[identity]), None
        return expr, None, None
    seq_name, seq_schema, seq_regclass, start, increment = seq
    by_serial = start == 1 == increment and _serial_name(seq_name, column)
    if seq_schema != schema:
        seq_name = f"{seq_schema}.{seq_name}"
    if identity in _IDENTITY_KINDS:
        return None, Identity(_IDENTITY_KINDS[identity], seq_name, start, increment), None
    if by_serial and expr == _nextval(seq_regclass):
        return None, Identity("serial", seq_name), None
    return expr, None, None


def _serial_name(seq_name: str, column: str) -> bool:
    """Whether `serial` could have chosen this name: `table_column_seq`, with a number after it
    when that name was taken (`task_id_seq1`), or cut to 63 bytes for long names."""
    bare = seq_name.rstrip("0123456789")
    return bare.endswith(f"_{column}_seq") or (bare.endswith("_seq") and len(seq_name.encode()) >= 59)


def _nextval(regclass_text: str) -> str:
    """The default PostgreSQL stores for a serial column, as pg_get_expr prints it."""
    return "nextval('" + regclass_text.replace("'", "''") + "'::regclass)"
