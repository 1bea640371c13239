"""A MySQL/MariaDB table's partitioning, written back as the clause that creates it.

`information_schema.PARTITIONS` has one row per partition (per subpartition, where there
are any) for every table of the database, so one query serves them all. From those rows
this module writes the `PARTITION BY ...` clause the server would accept to build the same
partitions; the model keeps it as text (`TableOptions.partitioning`), compared normalized,
and a plan runs it as `ALTER TABLE t PARTITION BY ...`.

What the rows cannot say is left out, on purpose and on both sides alike: per-partition
storage options (DATA DIRECTORY, MAX_ROWS, comments). Hash and key partitions named the way
the server names them (`p0`, `p1`, ...) are written `PARTITIONS n`, as the server prints them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

Row = tuple[Any, ...]

PARTITIONS_SQL = (
    "SELECT TABLE_NAME, PARTITION_NAME, SUBPARTITION_NAME, PARTITION_ORDINAL_POSITION, "
    "SUBPARTITION_ORDINAL_POSITION, PARTITION_METHOD, SUBPARTITION_METHOD, PARTITION_EXPRESSION, "
    "SUBPARTITION_EXPRESSION, PARTITION_DESCRIPTION FROM information_schema.PARTITIONS "
    "WHERE TABLE_SCHEMA = %s AND PARTITION_NAME IS NOT NULL"
)


def partition_clause(rows: Sequence[Row]) -> str | None:
    """The `PARTITION BY ...` clause of one table from its PARTITIONS rows (None: not
    partitioned, or partitioned in a way this does not write, such as SYSTEM_TIME)."""
    if not rows:
        return None
    rows = sorted(rows, key=lambda r: (int(r[3] or 0), int(r[4] or 0)))
    method, sub_method = str(rows[0][5] or "").upper(), rows[0][6]
    expression, sub_expression = _text(rows[0][7]), _text(rows[0][8])
    if not method or method.startswith("SYSTEM_TIME"):
        return None
    parts: list[tuple[str, str | None]] = []
    for row in rows:
        if not parts or parts[-1][0] != row[1]:
            parts.append((str(row[1]), _text(row[9])))
    if method.endswith("COLUMNS"):
        head = f"PARTITION BY {method[: -len('COLUMNS')].strip()} COLUMNS({expression})"
    else:
        head = f"PARTITION BY {method} ({expression})"
    if sub_method:
        per_partition = len(rows) // len(parts)
        head += f" SUBPARTITION BY {str(sub_method).upper()} ({sub_expression}) SUBPARTITIONS {per_partition}"
    if method.startswith(("RANGE", "LIST")):
        return head + " (" + ", ".join(_definition(method, name, values) for name, values in parts) + ")"
    if [name for name, _ in parts] == [f"p{i}" for i in range(len(parts))]:
        return head + f" PARTITIONS {len(parts)}"
    return head + " (" + ", ".join(f"PARTITION {_q(name)}" for name, _ in parts) + ")"


def _definition(method: str, name: str, values: str | None) -> str:
    if method.startswith("LIST"):
        return f"PARTITION {_q(name)} VALUES IN ({values})"
    if values == "MAXVALUE" and method == "RANGE":
        return f"PARTITION {_q(name)} VALUES LESS THAN MAXVALUE"
    return f"PARTITION {_q(name)} VALUES LESS THAN ({values})"


def _q(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def _text(value: object) -> str:
    if value is None:
        return ""
    return value.decode() if isinstance(value, bytes) else str(value)
