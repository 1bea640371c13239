"""The type spellings that SQLAlchemy compiles and the catalogs report most often, each
with the type name sqlglot gives it, so that `types.parse_type` classifies them without
importing sqlglot.

Importing sqlglot (with its compiled modules) costs about 0.13 s of CPU. A process that
meets only common types, such as the one reading a models package, need not pay it.
Everything else (parameters anywhere but at the end, or after a name of several words,
`UNSIGNED`, character sets, arrays, user-defined names) still goes to sqlglot.
tests/test_types.py checks every entry against the installed sqlglot, bare and with one and
two parameters.
"""

from __future__ import annotations

import re

# dialect -> spelling (upper case, single spaces) -> sqlglot's `DataType.Type` name
KNOWN: dict[str, dict[str, str]] = {
    "sqlite": {
        "BIGINT": "BIGINT",
        "BLOB": "VARBINARY",
        "BOOLEAN": "BOOLEAN",
        "CHAR": "CHAR",
        "CLOB": "TEXT",
        "DATE": "DATE",
        "DATETIME": "DATETIME",
        "DECIMAL": "DECIMAL",
        "DOUBLE": "DOUBLE",
        "FLOAT": "DOUBLE",
        "INT": "INT",
        "INTEGER": "INT",
        "JSON": "JSON",
        "NCHAR": "NCHAR",
        "NUMERIC": "DECIMAL",
        "SMALLINT": "SMALLINT",
        "TEXT": "TEXT",
        "TIME": "TIME",
        "TIMESTAMP": "TIMESTAMP",
        "VARCHAR": "VARCHAR",
    },
    "postgresql": {
        "BIGINT": "BIGINT",
        "BIGSERIAL": "BIGSERIAL",
        "BIT": "BIT",
        "BIT VARYING": "BIT",
        "BOOLEAN": "BOOLEAN",
        "CHAR": "CHAR",
        "CHARACTER": "CHAR",
        "CHARACTER VARYING": "VARCHAR",
        "DATE": "DATE",
        "DECIMAL": "DECIMAL",
        "DOUBLE PRECISION": "DOUBLE",
        "FLOAT": "DOUBLE",
        "INET": "INET",
        "INTEGER": "INT",
        "INTERVAL": "INTERVAL",
        "JSON": "JSON",
        "JSONB": "JSONB",
        "MONEY": "MONEY",
        "NUMERIC": "DECIMAL",
        "SERIAL": "SERIAL",
        "SMALLINT": "SMALLINT",
        "TEXT": "TEXT",
        "TIME WITH TIME ZONE": "TIMETZ",
        "TIME WITHOUT TIME ZONE": "TIME",
        "TIMESTAMP WITH TIME ZONE": "TIMESTAMPTZ",
        "TIMESTAMP WITHOUT TIME ZONE": "TIMESTAMP",
        "UUID": "UUID",
        "VARCHAR": "VARCHAR",
        "XML": "XML",
    },
    "mysql": {
        "BIGINT": "BIGINT",
        "BINARY": "BINARY",
        "BIT": "BIT",
        "BLOB": "BLOB",
        "BOOL": "BOOLEAN",
        "CHAR": "CHAR",
        "DATE": "DATE",
        "DATETIME": "DATETIME",
        "DECIMAL": "DECIMAL",
        "DOUBLE": "DOUBLE",
        "FLOAT": "FLOAT",
        "INT": "INT",
        "INTEGER": "INT",
        "JSON": "JSON",
        "LONGBLOB": "LONGBLOB",
        "LONGTEXT": "LONGTEXT",
        "MEDIUMBLOB": "MEDIUMBLOB",
        "MEDIUMINT": "MEDIUMINT",
        "MEDIUMTEXT": "MEDIUMTEXT",
        "NUMERIC": "DECIMAL",
        "SMALLINT": "SMALLINT",
        "TEXT": "TEXT",
        "TIME": "TIME",
        "TIMESTAMP": "TIMESTAMPTZ",
        "TINYBLOB": "TINYBLOB",
        "TINYINT": "TINYINT",
        "TINYTEXT": "TINYTEXT",
        "VARBINARY": "VARBINARY",
        "VARCHAR": "VARCHAR",
        "YEAR": "YEAR",
    },
}

_SPELLING = re.compile(r"([A-Za-z]+(?: [A-Za-z]+)*)(?:\((\d+)(?:, ?(\d+))?\))?")


def known_type(text: str, dialect: str) -> tuple[str, list[str]] | None:
    """sqlglot's name for a common spelling and its numeric parameters (`VARCHAR(255)` ->
    VARCHAR, ["255"]); None when sqlglot must read it."""
    match = _SPELLING.fullmatch(text)
    if match is None:
        return None
    spelling = match.group(1).upper()
    name = KNOWN.get(dialect, {}).get(spelling)
    args = [g for g in match.group(2, 3) if g is not None]
    if name is None or (args and " " in spelling):  # `time with time zone(3)`: sqlglot drops the 3
        return None
    return name, args
