"""Partitioning clauses and PostgreSQL partition bounds, compared regardless of spelling.

A MySQL catalog writes `PARTITION BY RANGE  COLUMNS(`d`) (PARTITION `p01` VALUES LESS THAN
('1985-12-31') ENGINE = InnoDB, ...)` where a DDL file has `partition by range COLUMNS (d)
(partition p01 values less than ('1985-12-31'), ...)`: the same partitions. PostgreSQL prints
a bound as `FOR VALUES FROM ('2024-01-01 00:00:00') TO ('2025-01-01 00:00:00')` for a file's
`for values from ('2024-01-01') to ('2025-01-01')` on a timestamp key: the same rows.
"""

from __future__ import annotations

import datetime as dt
import re

_QUOTED = re.compile(r"('(?:[^']|'')*')")
# `'2024-01-01'::date`, `'x'::character varying(10)`: a cast the catalog does not print
_CAST = re.compile(r"::\s*[a-z_][a-z0-9_ ]*?(?:\([0-9, ]*\))?(?:\[\])?(?=\s*[,)])", re.IGNORECASE)
_DATETIME = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?\s*([+-]\d{2}(?::?\d{2})?|Z)?$")


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


def bound_key(text: str) -> str:
    """A PostgreSQL partition bound compared regardless of spelling: case and spaces outside
    literals, casts on literals, a date or timestamp literal's spelling (`'2024-01-01'` is
    `'2024-01-01 00:00:00'`, `'2022-04-01 01:00:00+01'` is `'2022-04-01 00:00:00+00'`),
    and the order of a list bound's values (`IN ('b', 'a')` holds what `IN ('a', 'b')` does)."""
    pieces = _QUOTED.split(text.strip().rstrip(";"))
    out = []
    for i, piece in enumerate(pieces):
        if i % 2:
            out.append(_literal(piece[1:-1].replace("''", "'")))
        else:
            out.append(re.sub(r"\s+", "", _CAST.sub("", piece)).upper())
    key = "".join(out)
    if key.startswith("FORVALUESIN(") and key.endswith(")"):
        key = "FORVALUESIN(" + ",".join(sorted(top_level(key[len("FORVALUESIN(") : -1]))) + ")"
    return key


def _literal(value: str) -> str:
    """A date or timestamp literal as one spelling: an instant with an offset in UTC (the
    catalog prints it in the reader's time zone, a dump in the dumper's), one without as
    written (read as UTC, the server's usual zone, when the other side has an offset)."""
    m = _DATETIME.match(value.strip())
    if m is None:
        return "'" + value.replace("'", "''") + "'"
    day, clock, offset = m.groups()
    moment = dt.datetime.fromisoformat(f"{day}T{clock or '00:00'}")
    if offset:
        zone = "+00:00" if offset == "Z" else offset + (":00" if len(offset) == 3 else "")
        shifted = dt.datetime.fromisoformat(f"{day}T{clock or '00:00'}{zone}").astimezone(dt.timezone.utc)
        moment = shifted.replace(tzinfo=None)
    return "'" + moment.isoformat(sep=" ") + "'"


def top_level(text: str) -> list[str]:
    """Comma-separated items outside parentheses and literals."""
    items, depth, start, quoted = [], 0, 0, False
    for j, char in enumerate(text):
        if char == "'":
            quoted = not quoted
        elif not quoted and char == "(":
            depth += 1
        elif not quoted and char == ")":
            depth -= 1
        elif not quoted and depth == 0 and char == ",":
            items.append(text[start:j])
            start = j + 1
    items.append(text[start:])
    return items
