"""Type spellings map to families and parameters; unknown spellings are kept, never fatal."""

from __future__ import annotations

import subprocess
import sys

import pytest

from schemaudit.identifiers import POSTGRESQL_RULES, SQLITE_RULES, mysql_rules, quote
from schemaudit.model import TypeFamily as F
from schemaudit.type_names import KNOWN, known_type
from schemaudit.types import parse_type, sqlglot_type


@pytest.mark.parametrize(
    ("raw", "dialect", "family", "facts"),
    [
        ("character varying(255)", "postgresql", F.TEXT, {"length": 255}),
        ("varchar(100)", "mysql", F.TEXT, {"length": 100}),
        ("NVARCHAR(160)", "sqlite", F.TEXT, {"length": 160}),
        ("numeric(10,2)", "postgresql", F.NUMERIC, {"precision": 10, "scale": 2}),
        ("decimal(10,0)", "mysql", F.NUMERIC, {"precision": 10, "scale": 0}),
        ("smallint", "postgresql", F.INTEGER, {"size": 2}),
        ("bigint", "postgresql", F.INTEGER, {"size": 8}),
        ("int(10) unsigned", "mysql", F.INTEGER, {"size": 4, "unsigned": True}),
        ("INTEGER", "sqlite", F.INTEGER, {"size": 8}),
        ("double precision", "postgresql", F.FLOAT, {"size": 8}),
        ("real", "postgresql", F.FLOAT, {"size": 4}),
        ("boolean", "postgresql", F.BOOLEAN, {}),
        ("timestamp with time zone", "postgresql", F.TIMESTAMPTZ, {}),
        ("timestamp(3) without time zone", "postgresql", F.TIMESTAMP, {"precision": 3}),
        ("datetime(6)", "mysql", F.TIMESTAMP, {"precision": 6}),
        ("uuid", "postgresql", F.UUID, {}),
        ("jsonb", "postgresql", F.JSON, {}),
        ("bytea", "postgresql", F.BLOB, {}),
        ("longblob", "mysql", F.BLOB, {}),
        ("enum('a','it''s')", "mysql", F.ENUM, {"values": ("a", "it's")}),
        ("inet", "postgresql", F.NETWORK, {}),
        ("interval", "postgresql", F.INTERVAL, {}),
        ("date", "sqlite", F.DATE, {}),
        # SQLite affinity for spellings no dialect knows
        ("UNSIGNED BIG INT", "sqlite", F.INTEGER, {}),
        ("VARYING CHARACTER(20)", "sqlite", F.TEXT, {}),
        ("FLOATING POINT", "sqlite", F.INTEGER, {}),  # SQLite rule 1: "INT" wins, as documented
        ("REAL NUMBER", "sqlite", F.FLOAT, {"size": 8}),
        ("REAL", "sqlite", F.FLOAT, {"size": 8}),
    ],
)
def test_families(raw: str, dialect: str, family: F, facts: dict[str, object]) -> None:
    t = parse_type(raw, dialect)
    assert t.raw == raw
    assert t.family is family
    for key, value in facts.items():
        assert getattr(t, key) == value, key


def test_arrays_keep_their_element_type() -> None:
    t = parse_type("integer[]", "postgresql")
    assert t.family is F.ARRAY and t.dimensions == 1
    assert t.element is not None and t.element.family is F.INTEGER
    t2 = parse_type("text[][]", "postgresql")
    assert t2.dimensions == 2 and t2.element is not None and t2.element.family is F.TEXT


def test_enum_by_name() -> None:
    t = parse_type("mood", "postgresql", enum_values=("happy", "sad"))
    assert (t.family, t.values, t.name) == (F.ENUM, ("happy", "sad"), "mood")


@pytest.mark.parametrize("raw", ["weird custom type", "geography(Point,4326) extra", "", "x(((("])
def test_unknown_types_are_kept(raw: str) -> None:
    for dialect in ("postgresql", "mysql", "sqlite"):
        t = parse_type(raw, dialect)
        assert t.raw == raw


def test_identifier_rules() -> None:
    assert POSTGRESQL_RULES.table_key("Users") != POSTGRESQL_RULES.table_key("users")
    assert POSTGRESQL_RULES.fold_unquoted("Users") == "users"
    assert SQLITE_RULES.table_key("Users") == SQLITE_RULES.table_key("USERS")
    assert SQLITE_RULES.column_key("Straße") != SQLITE_RULES.column_key("STRASSE")  # SQLite folds ASCII only
    assert mysql_rules(0).table_key("Users") != mysql_rules(0).table_key("users")
    assert mysql_rules(1).table_key("Users") == mysql_rules(1).table_key("users")
    assert mysql_rules(0).column_key("Email") == mysql_rules(0).column_key("EMAIL")


def test_quote_doubles_the_quote_character() -> None:
    assert quote('a"; DROP TABLE x; --', "postgresql") == '"a""; DROP TABLE x; --"'
    assert quote("we`ird", "mysql") == "`we``ird`"


# ---- the common spellings classified without sqlglot (type_names.py) ----------------------


@pytest.mark.parametrize("dialect", sorted(KNOWN))
def test_every_common_spelling_reads_as_sqlglot_reads_it(dialect: str) -> None:
    """Bare, with one and two parameters, in either case: the table gives what sqlglot gives
    (a name of several words takes no parameters from the table: sqlglot reads those)."""
    for spelling in KNOWN[dialect]:
        for text in (spelling, spelling.lower(), f"{spelling}(7)", f"{spelling}(12, 3)", f"{spelling.lower()}(12,3)"):
            assert (known_type(text, dialect) is None) == (" " in spelling and "(" in text), text
            assert parse_type(text, dialect) == sqlglot_type(text, dialect), (dialect, text)


def test_other_spellings_still_go_to_sqlglot() -> None:
    others = ("int(10) unsigned", "timestamp(3) without time zone", "VARCHAR (5)", "text[]", "geography(Point, 4326)")
    for text in others:
        for dialect in KNOWN:
            assert known_type(text, dialect) is None, (dialect, text)


def test_common_types_are_classified_without_importing_sqlglot() -> None:
    code = (
        "import sys\n"
        "from schemaudit.types import parse_type\n"
        "for t in ('VARCHAR(255)', 'INTEGER', 'NUMERIC(10, 2)', 'DATETIME', 'BOOLEAN', 'TEXT', 'JSON'):\n"
        "    parse_type(t, 'sqlite')\n"
        "print('sqlglot' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
