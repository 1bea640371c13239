"""What `ALTER COLUMN ... TYPE` costs on PostgreSQL, so a plan rates it as the server runs it.

The ALTER TABLE reference: a type change rewrites the table and its indexes under an ACCESS
EXCLUSIVE lock, "as an exception, when ... the old type is either binary coercible to the
new type or an unconstrained domain over the new type, a table rewrite is not needed". The
built-in cases that follow from it (and from the types' length-coercion support functions):

- `varchar(n)` to `varchar(m)` with m >= n, to unbounded `varchar`, or to `text`: catalog only;
- `numeric(p, s)` to `numeric(q, s)` with q >= p (same scale), or to unbounded `numeric`:
  catalog only (a scale change rewrites);
- `timestamp(p)` / `time(p)` to a greater (or default) precision: catalog only;
- `smallint` to `integer`, `integer` to `bigint`: a different storage width, so a full
  rewrite of the table and its indexes while every read and write waits (high risk);
- `timestamp` to `timestamptz`: each stored value is read as a local time in the session's
  `TimeZone`; PostgreSQL 12 and later skip the rewrite when that zone is UTC.
"""

from __future__ import annotations

from schemaudit.diff import changes as ch
from schemaudit.diff.changes import TypeRelation
from schemaudit.model import SqlType, TypeFamily
from schemaudit.plan.dialects.base import hazard
from schemaudit.plan.model import Hazard, RiskLevel

_VARYING = ("character varying", "varchar", "text")
_PRECISE = (TypeFamily.TIMESTAMP, TypeFamily.TIMESTAMPTZ, TypeFamily.TIME)


def type_hazards(change: ch.ModifyColumn, time_zone: str | None = None) -> tuple[Hazard, ...]:
    """The hazards of retyping one column, each with the risk the server's behaviour gives it
    (`time_zone`: the TimeZone sessions on the current database start with, when known)."""
    old, new = change.from_.type, change.to.type
    what = f"{change.table}.{change.to.name}: {old.raw} -> {new.raw}"
    relation = change.type_relation
    if relation is TypeRelation.WIDER:  # the current type holds more than the target will
        return (hazard("narrowing", f"type narrowing {what}: values that do not fit stop the step"),)
    if old.family is TypeFamily.TIMESTAMP and new.family is TypeFamily.TIMESTAMPTZ:
        zone = (
            f"{time_zone} on the current database unless the connection sets another"
            if time_zone
            else ("SHOW TimeZone; the server's default unless the connection sets another")
        )
        return (
            hazard(
                "time_zone",
                f"{what} reads every stored value as a local time in the TimeZone of the session that runs "
                f"the step ({zone}): run SET TimeZone = 'UTC' first if the values are UTC. In UTC the table "
                "is not rewritten (PostgreSQL 12+); in any other zone it is, under an ACCESS EXCLUSIVE lock",
                RiskLevel.MEDIUM,
            ),
        )
    if relation is TypeRelation.INCOMPATIBLE:
        return (hazard("cast", f"values are cast {what}: a value that does not convert stops the step"),)
    if catalog_only(old, new):
        return (
            hazard(
                "catalog_only",
                f"{what} changes the catalog only: no table rewrite, indexes kept; the ACCESS EXCLUSIVE "
                "lock is held only for a moment",
                RiskLevel.LOW,
            ),
        )
    if old.family is TypeFamily.INTEGER and new.family is TypeFamily.INTEGER and (old.size or 4) != (new.size or 4):
        return (
            hazard(
                "rewrite",
                f"{what} rewrites the whole table and its indexes under an ACCESS EXCLUSIVE lock: every "
                f"read and write of {change.table} waits until it is done (long on a large table)",
                RiskLevel.HIGH,
            ),
        )
    return (
        hazard(
            "rewrite",
            f"{what} rewrites the table and its indexes under an ACCESS EXCLUSIVE lock: reads and "
            f"writes of {change.table} wait until it is done",
            RiskLevel.MEDIUM,
        ),
    )


def catalog_only(old: SqlType, new: SqlType) -> bool:
    """The server changes only the catalog: no row is touched (binary coercible, or a longer
    length/precision of the same type)."""
    if old.family is TypeFamily.TEXT and new.family is TypeFamily.TEXT:
        if not (_base(old).startswith(_VARYING) and _base(new).startswith(_VARYING)):
            return False
        if _base(new).startswith("text") or new.length is None:
            return True
        return old.length is not None and not _base(old).startswith("text") and new.length >= old.length
    if old.family is TypeFamily.NUMERIC and new.family is TypeFamily.NUMERIC:
        if not (_base(old).startswith(("numeric", "decimal")) and _base(new).startswith(("numeric", "decimal"))):
            return False
        if new.precision is None:
            return True
        return old.precision is not None and (old.scale or 0) == (new.scale or 0) and new.precision >= old.precision
    if old.family is new.family and old.family in _PRECISE:
        return new.precision is None or (old.precision is not None and new.precision >= old.precision)
    return False


def _base(t: SqlType) -> str:
    return t.raw.lower().strip()
