"""Turning a dialect's type spelling into a `SqlType`.

sqlglot knows every dialect's synonyms (`character varying` = `VARCHAR`, `int4` = `INT`,
MySQL `INT(10) UNSIGNED`), so we let it parse the spelling and map its type names to our
families with one table. A spelling nobody recognizes is kept as `UNKNOWN` with its raw text,
never an error; SQLite's own affinity rules classify what it would accept anyway.
Parsing is cached: a schema of thousands of tables has only a few dozen distinct spellings.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from schemaudit.model import SqlType, TypeFamily
from schemaudit.type_names import known_type

F = TypeFamily

# sqlglot type name -> (family, storage size in bytes for integers/floats, unsigned)
_FAMILIES: dict[str, tuple[TypeFamily, int | None, bool]] = {
    "TINYINT": (F.INTEGER, 1, False),
    "UTINYINT": (F.INTEGER, 1, True),
    "SMALLINT": (F.INTEGER, 2, False),
    "USMALLINT": (F.INTEGER, 2, True),
    "MEDIUMINT": (F.INTEGER, 3, False),
    "UMEDIUMINT": (F.INTEGER, 3, True),
    "INT": (F.INTEGER, 4, False),
    "UINT": (F.INTEGER, 4, True),
    "BIGINT": (F.INTEGER, 8, False),
    "UBIGINT": (F.INTEGER, 8, True),
    "INT128": (F.INTEGER, 16, False),
    "SERIAL": (F.INTEGER, 4, False),
    "SMALLSERIAL": (F.INTEGER, 2, False),
    "BIGSERIAL": (F.INTEGER, 8, False),
    "YEAR": (F.INTEGER, 2, False),
    "DECIMAL": (F.NUMERIC, None, False),
    "UDECIMAL": (F.NUMERIC, None, True),
    "BIGDECIMAL": (F.NUMERIC, None, False),
    "DECFLOAT": (F.NUMERIC, None, False),
    "MONEY": (F.NUMERIC, None, False),
    "SMALLMONEY": (F.NUMERIC, None, False),
    "FLOAT": (F.FLOAT, 4, False),
    "DOUBLE": (F.FLOAT, 8, False),
    "UDOUBLE": (F.FLOAT, 8, True),
    "BOOLEAN": (F.BOOLEAN, None, False),
    "CHAR": (F.TEXT, None, False),
    "NCHAR": (F.TEXT, None, False),
    "BPCHAR": (F.TEXT, None, False),
    "VARCHAR": (F.TEXT, None, False),
    "NVARCHAR": (F.TEXT, None, False),
    "TEXT": (F.TEXT, None, False),
    "TINYTEXT": (F.TEXT, None, False),
    "MEDIUMTEXT": (F.TEXT, None, False),
    "LONGTEXT": (F.TEXT, None, False),
    "NAME": (F.TEXT, None, False),
    "FIXEDSTRING": (F.TEXT, None, False),
    "SET": (F.TEXT, None, False),
    "BINARY": (F.BLOB, None, False),
    "VARBINARY": (F.BLOB, None, False),
    "BLOB": (F.BLOB, None, False),
    "TINYBLOB": (F.BLOB, None, False),
    "MEDIUMBLOB": (F.BLOB, None, False),
    "LONGBLOB": (F.BLOB, None, False),
    "IMAGE": (F.BLOB, None, False),
    "DATE": (F.DATE, None, False),
    "DATE32": (F.DATE, None, False),
    "TIME": (F.TIME, None, False),
    "TIMETZ": (F.TIME, None, False),
    "DATETIME": (F.TIMESTAMP, None, False),
    "DATETIME2": (F.TIMESTAMP, None, False),
    "SMALLDATETIME": (F.TIMESTAMP, None, False),
    "TIMESTAMP": (F.TIMESTAMP, None, False),
    "TIMESTAMPNTZ": (F.TIMESTAMP, None, False),
    "TIMESTAMPTZ": (F.TIMESTAMPTZ, None, False),
    "TIMESTAMPLTZ": (F.TIMESTAMPTZ, None, False),
    "INTERVAL": (F.INTERVAL, None, False),
    "UUID": (F.UUID, None, False),
    "JSON": (F.JSON, None, False),
    "JSONB": (F.JSON, None, False),
    "ENUM": (F.ENUM, None, False),
    "ARRAY": (F.ARRAY, None, False),
    "BIT": (F.BIT, None, False),
    "INET": (F.NETWORK, None, False),
    "IPADDRESS": (F.NETWORK, None, False),
    "IPPREFIX": (F.NETWORK, None, False),
    "IPV4": (F.NETWORK, None, False),
    "IPV6": (F.NETWORK, None, False),
    "GEOMETRY": (F.GEOMETRY, None, False),
    "GEOGRAPHY": (F.GEOMETRY, None, False),
    "POINT": (F.GEOMETRY, None, False),
    "POLYGON": (F.GEOMETRY, None, False),
    "LINESTRING": (F.GEOMETRY, None, False),
    "MULTIPOLYGON": (F.GEOMETRY, None, False),
    "MULTILINESTRING": (F.GEOMETRY, None, False),
    "XML": (F.XML, None, False),
}

# Type names sqlglot does not know but databases report (PostgreSQL catalog spellings).
_EXTRA_NAMES: dict[str, tuple[TypeFamily, int | None]] = {
    "cidr": (F.NETWORK, None),
    "macaddr": (F.NETWORK, None),
    "macaddr8": (F.NETWORK, None),
    "tsvector": (F.TEXT, None),
    "citext": (F.TEXT, None),
    "oid": (F.INTEGER, 4),
    "real": (F.FLOAT, 4),
    "float4": (F.FLOAT, 4),
    "float8": (F.FLOAT, 8),
    "bytea": (F.BLOB, None),
    "line": (F.GEOMETRY, None),
    "lseg": (F.GEOMETRY, None),
    "box": (F.GEOMETRY, None),
    "path": (F.GEOMETRY, None),
    "circle": (F.GEOMETRY, None),
    "point": (F.GEOMETRY, None),
    "polygon": (F.GEOMETRY, None),
    "linestring": (F.GEOMETRY, None),
    "multipoint": (F.GEOMETRY, None),
    "multipolygon": (F.GEOMETRY, None),
    "multilinestring": (F.GEOMETRY, None),
    "geometrycollection": (F.GEOMETRY, None),
}

_SQLGLOT_DIALECT = {"postgresql": "postgres", "mysql": "mysql", "sqlite": "sqlite"}
_ARRAY_SUFFIX = re.compile(r"(\[\d*\])+$")
_PARAMS = re.compile(r"\(([^()]*)\)")


def parse_type(raw: str, dialect: str, enum_values: tuple[str, ...] = ()) -> SqlType:
    """Classify a type spelling. `enum_values` marks a named enum type (PostgreSQL)."""
    if enum_values:
        return SqlType(raw=raw, family=F.ENUM, values=enum_values, name=raw)
    return _parse_cached(raw, dialect)


@lru_cache(maxsize=4096)
def _parse_cached(raw: str, dialect: str) -> SqlType:
    text = raw.strip()
    array = _ARRAY_SUFFIX.search(text)
    if array:
        element = _parse_cached(text[: array.start()].strip(), dialect)
        dims = array.group(0).count("[")
        return SqlType(raw=raw, family=F.ARRAY, element=element, dimensions=dims)
    extra = _EXTRA_NAMES.get(text.lower())
    if extra:
        return SqlType(raw=raw, family=extra[0], size=_stored_size(extra[0], extra[1], dialect))
    known = known_type(text, dialect)
    if known is not None:
        name, args = known
        family, size, unsigned = _FAMILIES[name]
        base = SqlType(raw=raw, family=family, size=_stored_size(family, size, dialect, name), unsigned=unsigned)
        return _with_params(base, args, name == "SET")
    return sqlglot_type(raw, dialect)


def sqlglot_type(raw: str, dialect: str) -> SqlType:
    """The spelling as sqlglot reads it (public so tests can hold the table of common
    spellings to it)."""
    from sqlglot import exp  # here, not at the top: the common spellings need none of it
    from sqlglot.errors import SqlglotError

    text = raw.strip()
    try:
        built = exp.DataType.build(text, dialect=_SQLGLOT_DIALECT.get(dialect, dialect))
    except (SqlglotError, ValueError, KeyError):
        return _fallback(raw, dialect)
    name = built.this.name if isinstance(built.this, exp.DataType.Type) else "USERDEFINED"
    if name == "ARRAY" and built.expressions:
        inner = built.expressions[0]
        element = _parse_cached(inner.sql(dialect=_SQLGLOT_DIALECT.get(dialect)), dialect)
        return SqlType(raw=raw, family=F.ARRAY, element=element, dimensions=1)
    entry = _FAMILIES.get(name)
    if entry is None:
        return _fallback(raw, dialect)
    family, size, unsigned = entry
    if "unsigned" in text.lower():
        unsigned = True
    size = _stored_size(family, size, dialect, name)
    base = SqlType(raw=raw, family=family, size=size, unsigned=unsigned)
    return _with_params(base, [e.sql() for e in built.expressions], built.this == exp.DataType.Type.SET)


# The most bytes a value of each MySQL/MariaDB text and blob type holds: `TEXT` and
# `MEDIUMTEXT` are one family but different types (a 100 KB value fits only the second).
# Elsewhere (PostgreSQL text/bytea, SQLite) these types are unbounded: `size` stays None.
LOB_BYTES: dict[str, dict[str, int]] = {
    "mysql": {
        "TINYTEXT": 255,
        "TEXT": 65_535,
        "MEDIUMTEXT": 16_777_215,
        "LONGTEXT": 4_294_967_295,
        "TINYBLOB": 255,
        "BLOB": 65_535,
        "MEDIUMBLOB": 16_777_215,
        "LONGBLOB": 4_294_967_295,
    },
}


def _stored_size(family: TypeFamily, size: int | None, dialect: str, name: str = "") -> int | None:
    """SQLite stores every integer in up to 8 bytes and every REAL in 8, whatever is declared;
    MySQL text and blob types hold at most `LOB_BYTES`."""
    if dialect == "sqlite" and family in (F.INTEGER, F.FLOAT):
        return 8
    if family in (F.TEXT, F.BLOB):
        return LOB_BYTES.get(dialect, {}).get(name, size)
    return size


def _with_params(base: SqlType, args: list[str], is_set: bool) -> SqlType:
    """Read length / precision / scale / enum values from the type's arguments."""
    family = base.family
    if family is F.ENUM or is_set:
        values = tuple(_unquote(a) for a in args)
        return replace(base, values=values)
    numbers = [int(a) for a in args if a.isdigit()]
    if not numbers:
        return base
    if family is F.NUMERIC:
        return replace(base, precision=numbers[0], scale=numbers[1] if len(numbers) > 1 else 0)
    if family is F.FLOAT:
        return replace(base, precision=numbers[0])
    if family in (F.TEXT, F.BLOB, F.BIT):
        return replace(base, length=numbers[0])
    if family in (F.TIMESTAMP, F.TIMESTAMPTZ, F.TIME, F.INTERVAL):
        return replace(base, precision=numbers[0])
    if family is F.INTEGER:
        return replace(base, length=numbers[0])  # MySQL display width, informational only
    return base


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] == "'":
        return value[1:-1].replace("''", "'")
    return value


def _fallback(raw: str, dialect: str) -> SqlType:
    """Unknown spellings: SQLite applies its affinity rules; elsewhere the type stays unknown."""
    if dialect != "sqlite":
        return SqlType(raw=raw, family=F.UNKNOWN)
    upper = raw.upper()
    match = _PARAMS.search(raw)
    length = int(match.group(1)) if match and match.group(1).strip().isdigit() else None
    if "INT" in upper:
        return SqlType(raw=raw, family=F.INTEGER, size=8)
    if any(word in upper for word in ("CHAR", "CLOB", "TEXT")):
        return SqlType(raw=raw, family=F.TEXT, length=length)
    if "BLOB" in upper or not upper.strip():
        return SqlType(raw=raw, family=F.BLOB if upper.strip() else F.UNKNOWN)
    if any(word in upper for word in ("REAL", "FLOA", "DOUB")):
        return SqlType(raw=raw, family=F.FLOAT, size=8)
    return SqlType(raw=raw, family=F.UNKNOWN)
