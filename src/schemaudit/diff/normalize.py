"""Equivalence as data: how a target type, default or FK action relates to the current one.

The target says what a value *means*; the current schema says how it is *stored*, maybe in
another dialect. Every decision lives in one of the tables below, so reviewing or extending the
rules means editing a row, not hunting for conditionals:

- `DIALECTS`: what each dialect's storage enforces (declared lengths? time zones? affinity?).
- `CROSS_FAMILY`: (target family, current family) -> relation and the note the report shows.
  Pairs not listed are INCOMPATIBLE. Deliberately *not* equivalent: NUMERIC~TEXT (sorting and
  arithmetic break), INTEGER~TEXT, TEXT~UUID/JSON/... in that direction (the current column
  would reject values the target allows) unless the target is SQLite, whose declared types
  are only affinities.
- `DISTINCT_SPELLINGS`: same family, but the dialect stores them differently (json/jsonb,
  char/varchar): EQUIVALENT with a note, only when both sides are the same dialect.
- `DEFAULT_SYNONYMS` / `BOOLEAN_SPELLINGS`: default spellings that mean the same value.
  `now()` = `CURRENT_TIMESTAMP` = `CURRENT_TIMESTAMP(n)` = `LOCALTIMESTAMP` =
  `transaction_timestamp()` = SQLite `datetime('now')` ("the moment of the write"; precision
  and the local/UTC rendering are the storage's business). `statement_timestamp()` and
  `clock_timestamp()` are not: they differ within a transaction.
- `FK_ACTION_SYNONYMS`: MySQL treats NO ACTION as RESTRICT.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache

from sqlglot import exp

from schemaudit.diff.changes import TypeRelation
from schemaudit.diff.expressions import expression_key, literal_key, number_text, parse, unwrap
from schemaudit.diff.intervals import interval_key
from schemaudit.model import Identity, SqlType, TypeFamily

F = TypeFamily
R = TypeRelation


@dataclass(frozen=True, slots=True)
class Storage:
    """What a dialect's storage enforces; drives how strict a comparison may be."""

    enforces_length: bool = True
    enforces_int_size: bool = True  # SQLite keeps every integer in up to 8 bytes, whatever declared
    has_timestamptz: bool = True
    affinity_typed: bool = False  # declared types are hints (SQLite)
    fk_needs_index: bool = False  # the dialect requires (and creates) an index per FK
    deferrable_fks: bool = True
    implicit_unique_index: bool = True  # UNIQUE / PRIMARY KEY are backed by an index
    has_comments: bool = True  # SQLite keeps no comments: a target's comment cannot be drift there
    # fractional seconds digits of a time type declared without them (MySQL: 0, PostgreSQL: 6);
    # None where the dialect stores no fixed precision
    default_fsp: int | None = None
    # families the dialect has a real type for: storing them in another family there is a
    # choice with consequences (no validation, other operators), not a storage necessity
    native: frozenset[TypeFamily] = frozenset()


DIALECTS: dict[str, Storage] = {
    "postgresql": Storage(
        default_fsp=6,
        native=frozenset(
            {F.UUID, F.JSON, F.ENUM, F.ARRAY, F.BOOLEAN, F.DATE, F.TIME, F.TIMESTAMP, F.TIMESTAMPTZ, F.NETWORK, F.XML}
        ),
    ),
    "mysql": Storage(
        has_timestamptz=False,
        fk_needs_index=True,
        deferrable_fks=False,
        default_fsp=0,
        native=frozenset({F.JSON, F.ENUM, F.DATE, F.TIME, F.TIMESTAMP}),
    ),
    "sqlite": Storage(
        enforces_length=False, enforces_int_size=False, has_timestamptz=False, affinity_typed=True, has_comments=False
    ),
}


def storage(dialect: str) -> Storage:
    return DIALECTS.get(dialect, Storage())


@dataclass(frozen=True, slots=True)
class TypeComparison:
    relation: TypeRelation
    note: str | None = None


_STORES_ISO = (R.EQUIVALENT, "{current} stores ISO-8601 strings")
# (target family, current family) -> (relation, note); {current}/{target} are raw spellings.
CROSS_FAMILY: dict[tuple[TypeFamily, TypeFamily], tuple[TypeRelation, str]] = {
    (F.UUID, F.TEXT): (R.EQUIVALENT, "{current} stores UUID"),
    (F.UUID, F.BLOB): (R.EQUIVALENT, "{current} stores UUID bytes"),
    (F.TIMESTAMPTZ, F.TEXT): _STORES_ISO,
    (F.TIMESTAMP, F.TEXT): _STORES_ISO,
    (F.DATE, F.TEXT): _STORES_ISO,
    (F.TIME, F.TEXT): _STORES_ISO,
    (F.TIMESTAMPTZ, F.TIMESTAMP): (R.NARROWER, "{current} drops the time zone"),
    (F.TIMESTAMP, F.TIMESTAMPTZ): (R.WIDER, "{current} stores an instant, not wall-clock time"),
    (F.BOOLEAN, F.INTEGER): (R.EQUIVALENT, "{current} stores booleans as 0/1"),
    (F.BOOLEAN, F.BIT): (R.EQUIVALENT, "{current} stores booleans as bits"),
    (F.JSON, F.TEXT): (R.EQUIVALENT, "{current} stores JSON text"),
    (F.JSON, F.BLOB): (R.EQUIVALENT, "{current} stores binary JSON"),
    (F.ENUM, F.TEXT): (R.EQUIVALENT, "{current} stores the enum labels"),
    (F.ARRAY, F.JSON): (R.EQUIVALENT, "{current} stores the array as JSON"),
    (F.ARRAY, F.TEXT): (R.EQUIVALENT, "{current} stores the array as JSON text"),
    (F.NETWORK, F.TEXT): (R.EQUIVALENT, "{current} stores addresses as text"),
    (F.XML, F.TEXT): (R.EQUIVALENT, "{current} stores XML text"),
    (F.NUMERIC, F.FLOAT): (R.NARROWER, "{current} loses exact decimals"),
    (F.FLOAT, F.NUMERIC): (R.WIDER, "{current} is exact"),
    (F.INTEGER, F.NUMERIC): (R.WIDER, "{current} holds integers"),
    (F.NUMERIC, F.INTEGER): (R.NARROWER, "{current} drops the fraction"),
    (F.INTEGER, F.FLOAT): (R.NARROWER, "{current} is inexact beyond 2^53"),
    (F.INTEGER, F.BOOLEAN): (R.NARROWER, "{current} holds only true/false"),
    (F.TEXT, F.ENUM): (R.NARROWER, "{current} accepts only its labels"),
}
# Text is long enough for the value only from this length on (else the pair is NARROWER).
MIN_TEXT_LENGTH: dict[TypeFamily, int] = {F.UUID: 32, F.TIMESTAMPTZ: 19, F.TIMESTAMP: 19, F.DATE: 10}

DISTINCT_SPELLINGS: dict[TypeFamily, tuple[frozenset[str], ...]] = {
    F.JSON: (frozenset({"jsonb"}),),
    F.TEXT: (frozenset({"char", "character", "bpchar", "nchar"}),),
}

_INTEGER_DIGITS = {1: 3, 2: 5, 3: 7, 4: 10, 8: 19, 16: 39}
_BASE_NAME = re.compile(r"^\s*([a-z_ ]+?)\s*(\(|\[|$| unsigned)")


def compare_types(target: SqlType, current: SqlType, target_dialect: str, current_dialect: str) -> TypeComparison:
    """Relation of the current column type to the target's, across dialects."""
    return _compare_types(target, current, target_dialect, current_dialect)


@lru_cache(maxsize=8192)
def _compare_types(t: SqlType, c: SqlType, t_dialect: str, c_dialect: str) -> TypeComparison:
    t_store, c_store = storage(t_dialect), storage(c_dialect)
    if t.family is F.UNKNOWN or c.family is F.UNKNOWN:
        if _spelling(t.raw) == _spelling(c.raw):
            return TypeComparison(R.EQUAL)
        return TypeComparison(R.INCOMPATIBLE, "unknown type, compared by spelling")
    if t_store.affinity_typed and c_store.affinity_typed and sqlite_affinity(t.raw) == sqlite_affinity(c.raw):
        if t.family is c.family and _bounds(t) == _bounds(c):
            return TypeComparison(R.EQUAL)
        return TypeComparison(R.EQUIVALENT, f"same SQLite affinity, {sqlite_affinity(c.raw)}")
    if t.family is c.family:
        return _same_family(t, c, t_dialect, c_dialect)
    if {t.family, c.family} <= {F.TIMESTAMP, F.TIMESTAMPTZ} and not (
        t_store.has_timestamptz and c_store.has_timestamptz
    ):
        return TypeComparison(
            R.EQUIVALENT,
            f"{c_dialect if not c_store.has_timestamptz else t_dialect} has no separate time-zone-aware timestamp",
        )
    rule = CROSS_FAMILY.get((t.family, c.family))
    if rule is None and t_store.affinity_typed:
        reverse = CROSS_FAMILY.get((c.family, t.family))
        if reverse is not None and reverse[0] is R.EQUIVALENT:
            rule = (R.EQUIVALENT, "SQLite declared type {target} is only an affinity")
    if rule is None:
        return TypeComparison(R.INCOMPATIBLE)
    relation, note = rule
    if relation is R.EQUIVALENT and t.family in c_store.native:
        return TypeComparison(
            R.INCOMPATIBLE,
            f"{c.raw} where {c_dialect} has a native {t.family.value} type: no validation, other operators",
        )
    text = note.format(current=c.raw, target=t.raw)
    if relation is R.EQUIVALENT and c.family is F.TEXT and c.length is not None and c_store.enforces_length:
        needed = max((len(v) for v in t.values), default=0) if t.family is F.ENUM else MIN_TEXT_LENGTH.get(t.family, 0)
        if c.length < needed:
            return TypeComparison(R.NARROWER, f"{c.raw} is too short for {t.raw}")
    return TypeComparison(relation, text)


def _same_family(t: SqlType, c: SqlType, t_dialect: str, c_dialect: str) -> TypeComparison:
    if t.family is F.ARRAY and t.element is not None and c.element is not None:
        inner = _compare_types(t.element, c.element, t_dialect, c_dialect)
        return TypeComparison(inner.relation, f"array element: {inner.note}" if inner.note else None)
    if t.family is F.ENUM:
        return _enums(t, c)
    if t.family in (F.TEXT, F.BLOB) and t.size != c.size and t_dialect == c_dialect:
        relation: TypeRelation | None = _by_capacity(t, c)  # MySQL TEXT vs MEDIUMTEXT
    else:
        relation = _by_params(t, c, storage(c_dialect), t_dialect == c_dialect)
    if relation is None:
        return TypeComparison(R.EQUIVALENT, f"{c_dialect} does not enforce declared sizes")
    if relation is R.EQUAL and t_dialect == c_dialect:
        t_base, c_base = _base(t.raw), _base(c.raw)
        for group in DISTINCT_SPELLINGS.get(t.family, ()):
            if (t_base in group) != (c_base in group):
                return TypeComparison(R.EQUIVALENT, f"{c.raw} and {t.raw} are stored differently")
    if relation is not R.EQUAL and t.unsigned != c.unsigned and t.size == c.size:
        return TypeComparison(R.NARROWER, "signedness differs")
    if relation is R.NARROWER and c.size is not None and c.family in (F.TEXT, F.BLOB):
        return TypeComparison(relation, f"{c.raw} holds at most {c.size:,} bytes: longer values are rejected")
    return TypeComparison(relation)


def _by_params(t: SqlType, c: SqlType, c_store: Storage, same_dialect: bool) -> TypeRelation | None:
    """Compare the parameters that bound a family's values; None = differs but not enforced.
    A time type without fractional digits has the dialect's default (MySQL `DATETIME` is
    `DATETIME(0)`); a target from another dialect that states none asks for no particular one."""
    if t.family in (F.TEXT, F.BLOB, F.BIT):
        if t.length == c.length:
            return R.EQUAL
        if not c_store.enforces_length:
            return None
        if c.length is None:
            return R.WIDER
        return R.NARROWER if t.length is None or c.length < t.length else R.WIDER
    if t.family in (F.INTEGER, F.FLOAT):
        if t.unsigned != c.unsigned:
            return R.NARROWER
        if t.size is None or c.size is None or t.size == c.size:
            return R.EQUAL
        if t.family is F.INTEGER and not c_store.enforces_int_size:
            # SQLite: every integer is stored in up to 8 bytes, so one declared smaller holds
            # all the target's values; nothing to note
            return R.EQUAL if c.size >= t.size else None
        return R.NARROWER if c.size < t.size else R.WIDER
    if t.family is F.NUMERIC:
        return _numeric(t, c)
    if t.family in (F.TIMESTAMP, F.TIMESTAMPTZ, F.TIME, F.INTERVAL):
        t_fsp = c_store.default_fsp if t.precision is None and same_dialect else t.precision
        c_fsp = c.precision if c.precision is not None else c_store.default_fsp
        if t_fsp is None or c_fsp is None or t_fsp == c_fsp:
            return R.EQUAL
        return R.NARROWER if c_fsp < t_fsp else R.WIDER
    return R.EQUAL


def _by_capacity(t: SqlType, c: SqlType) -> TypeRelation:
    """Text/blob types bounded by bytes (`SqlType.size`) against each other or against a
    declared length (up to 4 bytes a character), within one dialect. Across dialects the
    storage is another product's anyway (PostgreSQL `text` ported to MySQL `TEXT` is the
    usual port), so sizes are not compared there."""

    def capacity(x: SqlType) -> float:
        if x.size is not None:
            return x.size
        return x.length * 4 if x.length is not None else float("inf")

    t_cap, c_cap = capacity(t), capacity(c)
    if c_cap == t_cap:
        return R.EQUAL
    return R.NARROWER if c_cap < t_cap else R.WIDER


def _numeric(t: SqlType, c: SqlType) -> TypeRelation:
    if (t.precision, t.scale) == (c.precision, c.scale):
        return R.EQUAL
    if c.precision is None:
        return R.WIDER
    if t.precision is None:
        return R.NARROWER
    t_int, c_int = t.precision - (t.scale or 0), c.precision - (c.scale or 0)
    if c_int >= t_int and (c.scale or 0) >= (t.scale or 0):
        return R.WIDER
    return R.NARROWER


def _enums(t: SqlType, c: SqlType) -> TypeComparison:
    if not t.values or not c.values:
        same = _spelling(t.name or t.raw) == _spelling(c.name or c.raw)
        return TypeComparison(R.EQUAL if same else R.EQUIVALENT, None if same else "enum labels unknown")
    tv, cv = set(t.values), set(c.values)
    if tv == cv:
        return TypeComparison(
            R.EQUAL if t.values == c.values else R.EQUIVALENT,
            None if t.values == c.values else "enum label order differs",
        )
    if cv > tv:
        return TypeComparison(R.WIDER, f"current also allows {sorted(cv - tv)}")
    return TypeComparison(R.NARROWER, f"current lacks {sorted(tv - cv)}")


def _params(t: SqlType) -> tuple[object, ...]:
    return (t.length, t.precision, t.scale, t.size, t.unsigned, t.values, t.element)


def _bounds(t: SqlType) -> tuple[object, ...]:
    """The parameters that make a type: a spec's value list on a TEXT column documents the
    labels (a CHECK enforces them, compared on its own), it does not change the type."""
    return _params(t) if t.family is F.ENUM else (*_params(t)[:5], t.element)


def _spelling(raw: str) -> str:
    return re.sub(r"\s+", " ", raw.replace('"', "").replace("`", "").strip().lower())


def _base(raw: str) -> str:
    match = _BASE_NAME.match(raw.lower())
    return match.group(1) if match else raw.lower()


def sqlite_affinity(declared: str) -> str:
    """SQLite's affinity rules (datatype3.html section 3.1), in their documented order."""
    upper = declared.upper()
    if "INT" in upper:
        return "INTEGER"
    if "CHAR" in upper or "CLOB" in upper or "TEXT" in upper:
        return "TEXT"
    if "BLOB" in upper or not upper.strip():
        return "BLOB"
    if "REAL" in upper or "FLOA" in upper or "DOUB" in upper:
        return "REAL"
    return "NUMERIC"


# ---- defaults ----------------------------------------------------------------------------

DEFAULT_SYNONYMS: dict[str, tuple[str, ...]] = {
    "CURRENT_TIMESTAMP": (
        "CURRENT_TIMESTAMP",
        "CURRENT_TIMESTAMP()",
        "CURRENT_TIMESTAMP(3)",
        "CURRENT_TIMESTAMP(6)",
        "now()",
        "now(3)",
        "now(6)",
        "LOCALTIMESTAMP",
        "LOCALTIMESTAMP()",
        "transaction_timestamp()",
        "datetime('now')",
        "datetime('now', 'utc')",
    ),
    "CURRENT_DATE": ("CURRENT_DATE", "CURRENT_DATE()", "CURDATE()", "date('now')"),
    "CURRENT_TIME": ("CURRENT_TIME", "CURRENT_TIME()", "CURTIME()", "LOCALTIME", "time('now')"),
    "UUID()": ("gen_random_uuid()", "uuid_generate_v4()", "uuid()"),
}
BOOLEAN_SPELLINGS: dict[str, tuple[str, ...]] = {
    "TRUE": ("TRUE", "1", "'1'", "'t'", "'true'", "'y'", "'yes'", "'on'", "b'1'"),
    "FALSE": ("FALSE", "0", "'0'", "'f'", "'false'", "'n'", "'no'", "'off'", "b'0'"),
}
_NUMBERS = frozenset({F.INTEGER, F.NUMERIC, F.FLOAT})
_JSONISH = frozenset({F.JSON, F.ARRAY})


@lru_cache(maxsize=1)
def _synonym_keys() -> tuple[dict[str, str], dict[str, str]]:
    """Spellings above -> canonical token, keyed by each dialect's parse of the spelling."""

    def build(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
        keys: dict[str, str] = {}
        for token, spellings in table.items():
            for spelling in spellings:
                for dialect in DIALECTS:
                    keys[expression_key(spelling, dialect)] = token
        return keys

    return build(DEFAULT_SYNONYMS), build(BOOLEAN_SPELLINGS)


def default_key(text: str | None, dialect: str, families: frozenset[TypeFamily] = frozenset()) -> str | None:
    """Canonical key of a column default; `families` are the column's type families on both
    sides (a boolean column reads `1` as TRUE, a numeric one `'0'` as 0). None = no default."""
    if text is None:
        return None
    return _default_key(text.strip(), dialect, families)


@lru_cache(maxsize=8192)
def _default_key(text: str, dialect: str, families: frozenset[TypeFamily]) -> str | None:
    tree = parse(text, dialect)
    key = expression_key(text, dialect)
    if tree is not None:
        node = unwrap(tree)
        if isinstance(node, exp.Literal) and node.is_string:
            key = _string_default(node.this, families) or literal_key(node)
    if key == "NULL":
        return None
    synonyms, booleans = _synonym_keys()
    key = synonyms.get(key, key)
    if dialect == "mysql":
        key = _MYSQL_BOOLEANS.get(key, key)  # TRUE and FALSE are the integers 1 and 0 there
    if F.BOOLEAN in families:
        key = booleans.get(key, key)
    return key


_MYSQL_BOOLEANS = {"TRUE": "1", "FALSE": "0"}


def _string_default(value: str, families: frozenset[TypeFamily]) -> str | None:
    if families & _NUMBERS:
        number = number_text(value)
        if number is not None:
            return number
    if F.INTERVAL in families:
        return interval_key(value)
    if families & _JSONISH:
        try:
            return "json:" + json.dumps(json.loads(value), sort_keys=True, separators=(",", ":"))
        except (ValueError, RecursionError):
            return None
    return None


def defaults_equal(
    target: str | None, current: str | None, target_dialect: str, current_dialect: str, families: frozenset[TypeFamily]
) -> bool:
    if target == current and target_dialect == current_dialect:
        return True
    return default_key(target, target_dialect, families) == default_key(current, current_dialect, families)


# ---- identity, FK actions ----------------------------------------------------------------

# Identity kinds grouped by behaviour; compared only within one dialect (across dialects
# "the database numbers new rows" is all that can be asked).
IDENTITY_CLASS: dict[str, str] = {
    "always": "always",
    "by default": "auto",
    "serial": "auto",
    "auto_increment": "auto",
    "rowid": "auto",
    "autoincrement": "monotonic",  # SQLite AUTOINCREMENT never reuses ids
}


# Kinds the database applies by itself, not asked for: SQLite numbers any INTEGER PRIMARY KEY
# column left NULL on insert. A current column of such a kind satisfies a target without
# identity (the app supplying its own ids still works), so it is no drift.
IMPLICIT_IDENTITY_KINDS: frozenset[str] = frozenset({"rowid"})


def identities_equal(t: Identity | None, c: Identity | None, same_dialect: bool) -> bool:
    if t is None and c is not None and c.kind in IMPLICIT_IDENTITY_KINDS:
        return True
    if t is None or c is None:
        return t is c
    if not same_dialect:
        return True
    return IDENTITY_CLASS.get(t.kind, t.kind) == IDENTITY_CLASS.get(c.kind, c.kind)


FK_ACTION_SYNONYMS: dict[str, dict[str, str]] = {"mysql": {"NO ACTION": "RESTRICT"}}


def fk_action(action: str, dialects: tuple[str, str]) -> str:
    action = " ".join(action.upper().split())
    for dialect in dialects:
        action = FK_ACTION_SYNONYMS.get(dialect, {}).get(action, action)
    return action
