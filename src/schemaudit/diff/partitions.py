"""MySQL/MariaDB partitioning clauses, compared as text regardless of spelling.

A catalog writes `PARTITION BY RANGE  COLUMNS(`d`) (PARTITION `p01` VALUES LESS THAN
('1985-12-31') ENGINE = InnoDB, ...)` where a DDL file has `partition by range COLUMNS (d)
(partition p01 values less than ('1985-12-31'), ...)`: the same partitions.
"""

from __future__ import annotations

import re

_QUOTED = re.compile(r"('(?:[^']|'')*')")


def partition_key(text: str | None) -> str | None:
    """A partitioning clause compared regardless of spelling: case (outside string literals),
    identifier quotes, spaces, `ENGINE = InnoDB` on each partition, `MAXVALUE` in parentheses."""
    if not text:
        return None
    pieces = _QUOTED.split(text)
    out = []
    for i, piece in enumerate(pieces):
        if i % 2:  # a string literal, kept as written
            out.append(piece)
            continue
        piece = re.sub(r"(?i)\s*\bengine\s*=\s*\w+", "", piece.replace("`", "").replace('"', ""))
        out.append(re.sub(r"\s+", "", piece.lower()))
    key = "".join(out)
    return key.replace("lessthan(maxvalue)", "lessthanmaxvalue")
