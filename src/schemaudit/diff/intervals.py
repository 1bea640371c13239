"""PostgreSQL interval literals in one canonical form, as the server stores them.

A model writes `server_default="0"` for an `Interval` column; PostgreSQL stores it and prints
it back as `'00:00:00'::interval`: the same value. The key is what the server keeps, (months,
days, microseconds), so `'1 day'` and `'24:00:00'` stay apart as they do there (they print
differently). The text is read the way PostgreSQL's interval input reads it: numbers
with units (`1 year 2 mons`, `3 days`, `-1 hour`, abbreviations), `hh:mm[:ss[.frac]]`, a bare
number meaning seconds, `@` and `ago`, and the ISO 8601 form (`P1DT2H`). Anything else is
None: the caller keeps comparing the text.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

_MICRO = Decimal(1_000_000)
# unit -> (field, factor): field 0 months, 1 days, 2 microseconds
_UNITS: dict[str, tuple[int, Decimal]] = {}
for _names, _field, _factor in (
    ("microsecond microseconds us usec usecs", 2, Decimal(1)),
    ("millisecond milliseconds ms msec msecs", 2, Decimal(1000)),
    ("second seconds s sec secs", 2, _MICRO),
    ("minute minutes m min mins", 2, 60 * _MICRO),
    ("hour hours h hr hrs", 2, 3600 * _MICRO),
    ("day days d", 1, Decimal(1)),
    ("week weeks w", 1, Decimal(7)),
    ("month months mon mons", 0, Decimal(1)),
    ("year years y yr yrs", 0, Decimal(12)),
    ("decade decades", 0, Decimal(120)),
    ("century centuries", 0, Decimal(1200)),
    ("millennium millennia", 0, Decimal(12000)),
):
    for _name in _names.split():
        _UNITS[_name] = (_field, _factor)

_TIME = re.compile(r"^([+-]?)(\d+):(\d+)(?::(\d+(?:\.\d*)?))?$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_ISO = re.compile(
    r"^P(?:(-?\d+(?:\.\d+)?)Y)?(?:(-?\d+(?:\.\d+)?)M)?(?:(-?\d+(?:\.\d+)?)W)?(?:(-?\d+(?:\.\d+)?)D)?"
    r"(?:T(?:(-?\d+(?:\.\d+)?)H)?(?:(-?\d+(?:\.\d+)?)M)?(?:(-?\d+(?:\.\d+)?)S)?)?$"
)


def interval_key(text: str) -> str | None:
    """`interval:MONTHS,DAYS,MICROSECONDS` for an interval literal's text, or None."""
    parts = _iso(text.strip()) or _postgres(text.strip().lower())
    if parts is None:
        return None
    months, days, micros = parts
    return f"interval:{months},{days},{micros}"


def _postgres(text: str) -> tuple[int, int, int] | None:
    text = text.removeprefix("@").strip()
    negate = text.endswith(" ago")
    text = text.removesuffix(" ago").strip()
    if not text:
        return None
    tokens = text.replace(",", " ").split()
    totals = [Decimal(0), Decimal(0), Decimal(0)]
    i = 0
    try:
        while i < len(tokens):
            token = tokens[i]
            time = _TIME.match(token)
            if time:
                sign = -1 if time.group(1) == "-" else 1
                seconds = Decimal(time.group(4) or 0)
                total = int(time.group(2)) * 3600 + int(time.group(3)) * 60
                totals[2] += sign * (total + seconds) * _MICRO
                i += 1
                continue
            if not _NUMBER.match(token):
                return None
            value = Decimal(token)
            unit = tokens[i + 1] if i + 1 < len(tokens) and tokens[i + 1] in _UNITS else None
            field, factor = _UNITS[unit] if unit else (2, _MICRO)  # a bare number is seconds
            totals[field] += value * factor
            i += 2 if unit else 1
    except (InvalidOperation, ValueError):
        return None
    return _whole(totals, -1 if negate else 1)


def _iso(text: str) -> tuple[int, int, int] | None:
    match = _ISO.match(text.upper()) if text.upper().startswith("P") and len(text) > 1 else None
    if match is None:
        return None
    y, mo, w, d, h, mi, s = (Decimal(g) if g else Decimal(0) for g in match.groups())
    return _whole([y * 12 + mo, w * 7 + d, (h * 3600 + mi * 60 + s) * _MICRO], 1)


def _whole(totals: list[Decimal], sign: int) -> tuple[int, int, int]:
    """Fractions carried down as PostgreSQL does (a month is 30 days, a day 24 hours)."""
    months, days, micros = totals
    whole_months = int(months)
    days += (months - whole_months) * 30
    whole_days = int(days)
    micros += (days - whole_days) * 86400 * _MICRO
    return sign * whole_months, sign * whole_days, sign * int(micros.to_integral_value())
