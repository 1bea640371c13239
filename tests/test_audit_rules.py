"""The rule registry, severities, config handling, origins and the per-dialect fixes, on
schemas built by hand (the golden cases cover whole audits end to end)."""

from __future__ import annotations

from pathlib import Path

import pytest

from schemaudit.audit import REGISTRY, RULES, Severity, TableState, Verdict, audit
from schemaudit.audit.config import Config, from_mapping, load_config
from schemaudit.audit.findings import Finding
from schemaudit.audit.fixes import fixes_for
from schemaudit.audit.progress import compare_findings
from schemaudit.diff import changes as ch
from schemaudit.errors import SchemauditError
from schemaudit.identifiers import POSTGRESQL_RULES, SQLITE_RULES
from schemaudit.model import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    IndexElement,
    Origin,
    PrimaryKey,
    Schema,
    Table,
    UniqueConstraint,
)
from schemaudit.types import parse_type


def col(
    name: str,
    raw: str = "text",
    nullable: bool = True,
    default: str | None = None,
    origin: Origin | None = None,
    dialect: str = "postgresql",
) -> Column:
    return Column(name, parse_type(raw, dialect), nullable, default, origin=origin)


def pg(*tables: Table, origin: str = "models.py") -> Schema:
    return Schema(tuple(sorted(tables, key=lambda t: t.name)), "postgresql", origin, rules=POSTGRESQL_RULES)


def users(*extra: Column, **kw: object) -> Table:
    return Table(
        "users", (col("id", "uuid", False), col("email", "varchar(255)", False), *extra), PrimaryKey(("id",)), **kw
    )  # type: ignore[arg-type]


def codes(result: object) -> list[str]:
    return [f.code for f in result.findings]  # type: ignore[attr-defined]


# ---- registry ----------------------------------------------------------------------------


def test_codes_are_unique_stable_and_well_formed() -> None:
    assert len({r.code for r in RULES}) == len(RULES)
    assert all(r.code.startswith("SA") and len(r.code) == 5 and r.code[2:].isdigit() for r in RULES)
    assert set(REGISTRY) == {r.code for r in RULES}


@pytest.mark.parametrize(
    ("code", "severity"),
    [
        ("SA101", Severity.CRITICAL),  # missing table
        ("SA111", Severity.CRITICAL),  # missing column
        ("SA121", Severity.CRITICAL),  # incompatible type
        ("SA141", Severity.CRITICAL),  # missing FK
        ("SA151", Severity.CRITICAL),  # missing UNIQUE
        ("SA161", Severity.CRITICAL),  # missing CHECK
        ("SA131", Severity.CRITICAL),  # target nullable, current NOT NULL
        ("SA114", Severity.CRITICAL),  # extra NOT NULL column without default
        ("SA102", Severity.WARNING),  # table rename
        ("SA112", Severity.WARNING),  # column rename
        ("SA171", Severity.WARNING),  # missing index
        ("SA122", Severity.WARNING),  # narrower type
        ("SA132", Severity.WARNING),  # nullability drift the other way
        ("SA142", Severity.WARNING),  # FK action drift
        ("SA103", Severity.INFO),  # extra table
        ("SA113", Severity.INFO),  # extra nullable/defaulted column
        ("SA174", Severity.INFO),  # extra index
        ("SA124", Severity.INFO),  # storage-equivalent type
        ("SA172", Severity.INFO),  # index served by a unique constraint
    ],
)
def test_default_severities_follow_the_issue(code: str, severity: Severity) -> None:
    assert REGISTRY[code].severity is severity


# ---- findings ----------------------------------------------------------------------------


def test_identical_schemas_are_consistent_with_no_findings() -> None:
    schema = pg(users())
    result = audit(schema, schema)
    assert result.findings == ()
    assert result.verdict is Verdict.CONSISTENT
    assert result.tables[0].state is TableState.MATCHES


def test_info_only_is_consistent_and_extras_are_safe() -> None:
    result = audit(pg(users()), pg(users(col("nickname"), col("score", "integer", False, "0"))))
    assert codes(result) == ["SA113", "SA113"]
    assert result.verdict is Verdict.CONSISTENT
    assert result.tables[0].state is TableState.MATCHES_WITH_EXTRAS


def test_extra_not_null_without_default_is_critical() -> None:
    result = audit(pg(users()), pg(users(col("token", "text", False))))
    (finding,) = result.findings
    assert (finding.code, finding.severity, finding.column) == ("SA114", Severity.CRITICAL, "token")
    assert "DROP COLUMN token" in (finding.recommendation or "")
    assert result.verdict is Verdict.INCONSISTENT


def test_origin_is_taken_from_the_model_objects() -> None:
    target = pg(
        users(col("nickname", origin=Origin("app/models/user.py", 14)), origin=Origin("app/models/user.py", 9)),
        Table("orders", (col("id", "uuid", False),), origin=Origin("app/models/order.py", 3)),
    )
    result = audit(target, pg(users()))
    by_code = {f.code: f for f in result.findings}
    assert by_code["SA111"].origin == "app/models/user.py:14"
    assert by_code["SA101"].origin == "app/models/order.py:3"


def test_constraint_findings_fall_back_to_the_table_origin() -> None:
    table = users(checks=(CheckConstraint("email <> ''", "email_not_empty"),), origin=Origin("user.py", 5))
    (finding,) = audit(pg(table), pg(users())).findings
    assert finding.code == "SA161" and finding.origin == "user.py:5"
    assert finding.recommendation == "ALTER TABLE users ADD CONSTRAINT email_not_empty CHECK (email <> '');"


def test_equivalent_types_are_one_note_per_pair() -> None:
    target = Schema((Table("a", (col("id", "uuid"), col("b_id", "uuid"), col("at", "timestamptz"))),), "postgresql")
    current = Schema(
        (
            Table(
                "a",
                (
                    col("id", "TEXT", dialect="sqlite"),
                    col("b_id", "TEXT", dialect="sqlite"),
                    col("at", "TEXT", dialect="sqlite"),
                ),
            ),
        ),
        "sqlite",
        rules=SQLITE_RULES,
    )
    result = audit(target, current)
    notes = [f for f in result.findings if f.code == "SA124"]
    assert len(notes) == 2
    uuid_note = next(f for f in notes if "UUID" in f.message)
    assert uuid_note.message.startswith("TEXT stores UUID")
    assert uuid_note.evidence == ("a.b_id", "a.id")
    assert result.verdict is Verdict.CONSISTENT


def test_severity_override_and_off() -> None:
    config = from_mapping({"severity": {"SA113": "critical", "sa111": "off"}})
    result = audit(pg(users(col("name"))), pg(users(col("nickname"))), config)
    # nickname is the only unmatched column, same type, same place: a possible rename (SA104)
    assert [(f.code, f.severity) for f in result.findings] == [("SA113", Severity.CRITICAL), ("SA104", Severity.INFO)]
    assert result.verdict is Verdict.INCONSISTENT


def test_ignored_tables_never_take_part_in_renames() -> None:
    config = from_mapping({"ignore": {"parser_*": "staging tables"}})
    target = pg(Table("parser_state", (col("id"), col("url"))))
    current = pg(Table("parser_jobs", (col("id"), col("url"))))
    result = audit(target, current, config)
    assert result.findings == ()
    assert [(t.name, t.state, t.note) for t in result.tables] == [
        ("parser_jobs", TableState.IGNORED, "staging tables"),
        ("parser_state", TableState.IGNORED, "staging tables"),
    ]


def test_bookkeeping_tables_are_never_drift() -> None:
    current = pg(users(), Table("alembic_version", (col("version_num", "varchar(32)", False),)))
    result = audit(pg(users()), current)
    assert codes(result) == [] and result.verdict is Verdict.CONSISTENT
    assert result.status("alembic_version").state is TableState.BOOKKEEPING  # type: ignore[union-attr]


def test_rename_hints_from_config_and_unused_hints() -> None:
    config = from_mapping({"renames": {"table": {"people": "members", "ghosts": "spirits"}}})
    target = pg(Table("members", (col("id", "uuid", False), col("full_name"))))
    current = pg(Table("people", (col("id", "uuid", False), col("full_name"))))
    result = audit(target, current, config)
    found = {f.code: f for f in result.findings}
    assert found["SA102"].evidence == ("rename hint (config or --rename)",)
    assert "ghosts=spirits" in found["SA182"].message


def test_cli_hints_override_config_hints() -> None:
    config = from_mapping({"renames": {"table": {"people": "members"}}})
    from schemaudit.diff.hints import Hints

    merged = config.with_hints(Hints.from_specs(["people=persons"]), override=True)
    assert merged.hints.tables == (("people", "persons"),)


def test_fk_findings_and_downstream_impact() -> None:
    fk = ForeignKey(("user_id",), "users", ("id",), on_delete="CASCADE")
    target = pg(users(), Table("orders", (col("id"), col("user_id", "uuid")), foreign_keys=(fk,)))
    drift = pg(
        users(),
        Table(
            "orders",
            (col("id"), col("user_id", "uuid")),
            foreign_keys=(ForeignKey(("user_id",), "users", ("id",), on_delete="SET NULL"),),
        ),
    )
    (finding,) = audit(target, drift).findings
    assert finding.code == "SA142" and finding.severity is Severity.WARNING
    assert "ON DELETE SET NULL, target CASCADE" in finding.message
    missing = audit(target, pg(Table("orders", (col("id"), col("user_id", "uuid")))))
    table_finding = next(f for f in missing.findings if f.code == "SA101")
    assert table_finding.evidence == ("referenced by orders(user_id) -> users(id) ON DELETE CASCADE",)


def test_index_served_by_unique_is_info_not_a_gap() -> None:
    index = Index("ix_users_email", (IndexElement("email"),))
    unique = (UniqueConstraint(("email",), "uq_users_email"),)
    result = audit(pg(users(uniques=unique, indexes=(index,))), pg(users(uniques=unique)))
    assert [(f.code, f.severity) for f in result.findings] == [("SA172", Severity.INFO)]
    assert result.scorecard.rows[8].label == "Indexes missing" and result.scorecard.rows[8].count == 0
    assert result.verdict is Verdict.CONSISTENT


# ---- config ------------------------------------------------------------------------------


def test_pyproject_without_section_gives_defaults(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    assert load_config(start=tmp_path) == Config()


def test_ignore_patterns_are_case_insensitive_globs() -> None:
    config = from_mapping({"ignore": {"Parser_*": "staging"}})
    assert config.ignored("parser_jobs") is not None
    assert config.ignored("jobs_parser") is None


def test_non_utf8_config_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_bytes(b"\xff\xfe[severity]")
    with pytest.raises(SchemauditError, match="not UTF-8"):
        load_config(path)


# ---- fixes per dialect -------------------------------------------------------------------


def test_fixes_follow_the_dialect() -> None:
    target_col = col("total", "numeric(12,2)", False)
    assert fixes_for("postgresql").alter_type("orders", target_col) == (
        "ALTER TABLE orders ALTER COLUMN total TYPE numeric(12,2) USING total::numeric(12,2);"
    )
    assert fixes_for("mysql").alter_type("orders", target_col) == (
        "ALTER TABLE orders MODIFY COLUMN total numeric(12,2) NOT NULL;"
    )
    assert fixes_for("sqlite").alter_type("orders", target_col).startswith("Rebuild orders to change total")
    index = Index("ix_o", (IndexElement("created_at", descending=True),), where="total > 0")
    assert fixes_for("mysql").drop_index("orders", index) == "DROP INDEX ix_o ON orders;"
    assert fixes_for("postgresql").create_index("orders", index) == (
        "CREATE INDEX ix_o ON orders (created_at DESC) WHERE total > 0;"
    )
    assert fixes_for("sqlite").add_unique("t", UniqueConstraint(("a", "b"))) == (
        "CREATE UNIQUE INDEX uq_t_a_b ON t (a, b);"
    )


def test_fixes_quote_reserved_and_odd_names() -> None:
    fixes = fixes_for("postgresql")
    assert fixes.rename_table("user", "Order Items") == 'ALTER TABLE "user" RENAME TO "Order Items";'
    assert fixes_for("mysql").rename_column("order", "group", "grp") == (
        "ALTER TABLE `order` RENAME COLUMN `group` TO grp;"
    )


# ---- progress ----------------------------------------------------------------------------


def _f(code: str, table: str | None, column: str | None = None, message: str = "m") -> Finding:
    return Finding(code, REGISTRY[code].severity, table, column, message)


def test_progress_matches_by_identity_one_to_one() -> None:
    before = [_f("SA171", "runs"), _f("SA171", "runs"), _f("SA111", "runs", "x"), _f("SA102", "users")]
    after = [_f("SA171", "runs", message="reworded"), _f("SA102", "users"), _f("SA161", "logs")]
    progress = compare_findings(before, after, "prev.json")
    assert [f.key for f in progress.resolved] == [("SA111", "runs", "x"), ("SA171", "runs", "")]
    assert [f.key for f in progress.new] == [("SA161", "logs", "")]
    assert sorted(f.key for f in progress.unchanged) == [("SA102", "users", ""), ("SA171", "runs", "")]


def test_change_classes_all_have_a_rule() -> None:
    handled = {r.handles for r in RULES}
    for name in (
        "AddTable",
        "DropTable",
        "RenameTable",
        "ModifyTable",
        "AddColumn",
        "DropColumn",
        "RenameColumn",
        "ModifyColumn",
        "AddPrimaryKey",
        "DropPrimaryKey",
        "ModifyPrimaryKey",
        "AddForeignKey",
        "DropForeignKey",
        "ModifyForeignKey",
        "AddUnique",
        "DropUnique",
        "AddCheck",
        "DropCheck",
        "AddIndex",
        "DropIndex",
        "ModifyIndex",
    ):
        assert getattr(ch, name) in handled, name


def test_possible_rename_below_threshold_suggests_a_hint() -> None:
    target = pg(Table("customers", tuple(col(c) for c in ("id", "name", "email", "phone", "city"))))
    current = pg(Table("clients", tuple(col(c) for c in ("id", "name", "fax", "street", "zip"))))
    result = audit(target, current)
    assert codes(result) == ["SA101", "SA103", "SA104"]
    near = result.findings[-1]
    assert near.severity is Severity.INFO and near.evidence[0].startswith("confidence ")
    assert near.recommendation == "If it is, say so: --rename clients=customers"
