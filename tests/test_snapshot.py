"""The JSON snapshot round-trips every model feature exactly, and refuses what it cannot read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from schemaudit import snapshot
from schemaudit.errors import SchemauditError
from schemaudit.identifiers import POSTGRESQL_RULES, mysql_rules
from schemaudit.model import (
    CheckConstraint,
    Column,
    ForeignKey,
    Generated,
    Identity,
    Index,
    IndexElement,
    Origin,
    PrimaryKey,
    Schema,
    SchemaObject,
    Table,
    TableOptions,
    UniqueConstraint,
)
from schemaudit.sources import LoadOptions, load
from schemaudit.types import parse_type


def rich_schema() -> Schema:
    """A schema that uses every field of the model at least once."""
    pg = "postgresql"
    users = Table(
        name='Users "main"',
        columns=(
            Column("id", parse_type("bigint", pg), nullable=False, identity=Identity("always", "users_id_seq", 10, 5)),
            Column("email", parse_type("character varying(255)", pg), nullable=False, comment="login, unique"),
            Column("tags", parse_type("text[]", pg), default="'{}'::text[]"),
            Column("mood", parse_type("mood", pg, enum_values=("happy", "sad"))),
            Column("lower_email", parse_type("text", pg), generated=Generated("lower((email)::text)", stored=True)),
            Column("name", parse_type("text", pg), collation="C", origin=Origin("models/user.py", 12)),
        ),
        primary_key=PrimaryKey(("id",), name="users_pkey"),
        uniques=(UniqueConstraint(("email",), name="users_email_key"),),
        indexes=(
            Index(
                "ix_users_lower",
                (IndexElement("lower((email)::text)", is_expression=True, descending=True, nulls="LAST"),),
                unique=True,
                where="(id > 0)",
                method="btree",
                include=("name",),
            ),
        ),
        checks=(CheckConstraint("(char_length((email)::text) > 3)", name="email_len", column="email"),),
        comment="people",
        options=TableOptions(partitioned=True),
        origin=Origin("schema.sql", 3),
    )
    orders = Table(
        name="order",
        columns=(
            Column("id", parse_type("integer", pg), nullable=False, identity=Identity("serial", "order_id_seq")),
            Column("user_id", parse_type("bigint", pg)),
            Column("total", parse_type("numeric(10,2)", pg), default="0"),
            Column("blob", parse_type("weird custom type", pg)),
        ),
        primary_key=PrimaryKey(("id",)),
        foreign_keys=(
            ForeignKey(
                ("user_id",),
                'Users "main"',
                ("id",),
                name="order_user_fk",
                on_delete="CASCADE",
                on_update="SET NULL",
                deferrable=True,
                initially_deferred=True,
            ),
        ),
    )
    return Schema(
        tables=(users, orders),
        dialect=pg,
        origin="postgresql://app:***@db/app",
        name="public",
        rules=POSTGRESQL_RULES,
        not_audited=(SchemaObject("trigger", "audit_trg", table="order"), SchemaObject("view", "active_users")),
    )


def test_round_trip_is_exact() -> None:
    schema = rich_schema()
    again = snapshot.loads(snapshot.dumps(schema))
    assert again == schema
    assert again.tables == schema.tables
    assert again.rules == schema.rules
    assert snapshot.dumps(again) == snapshot.dumps(schema)


def test_round_trip_keeps_lookup_by_dialect_rules() -> None:
    schema = Schema(tables=rich_schema().tables, dialect="mysql", rules=mysql_rules(1))
    again = snapshot.loads(snapshot.dumps(schema))
    assert again.table("ORDER") is not None
    assert again.table("order") == schema.table("order")


def test_unknown_type_is_kept_not_fatal() -> None:
    col = rich_schema().tables[1].columns[3]
    assert col.type.family.value == "unknown"
    assert col.type.raw == "weird custom type"


def test_snapshot_source_loads_saved_file(tmp_path: Path) -> None:
    path = tmp_path / "snap.json"
    path.write_text(snapshot.dumps(rich_schema()), encoding="utf-8")
    assert load(f"snapshot:{path}", LoadOptions()) == rich_schema()
    assert load(str(path)) == rich_schema()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"hello": 1}', "not a schemaudit snapshot"),
        ('{"format": "schemaudit-snapshot", "version": 99, "schema": {}}', "version 99"),
        ('{"format": "schemaudit-snapshot", "version": 1, "schema": {"tables": []}}', "malformed"),
        (
            '{"format": "schemaudit-snapshot", "version": 1, "schema": {"tables": [], "dialect": "x", "bogus": 1}}',
            "unknown field",
        ),
        (
            '{"format": "schemaudit-snapshot", "version": 1, "schema": {"tables": [{"name": 3, "columns": []}],'
            ' "dialect": "x"}}',
            "malformed",
        ),
    ],
)
def test_bad_snapshots_are_refused_with_one_line(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(SchemauditError) as info:
        load(f"snapshot:{path}")
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_missing_snapshot_file(tmp_path: Path) -> None:
    with pytest.raises(SchemauditError, match="not found"):
        load(f"snapshot:{tmp_path / 'nope.json'}")


def test_snapshot_is_versioned_json() -> None:
    data = json.loads(snapshot.dumps(rich_schema()))
    assert data["format"] == "schemaudit-snapshot"
    assert data["version"] == snapshot.VERSION
