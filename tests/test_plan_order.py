"""The planner's order, ids, risks and notes, on model values (no database): renames first,
creates parents before children with cycles broken, drops last and only when allowed."""

from __future__ import annotations

import datetime as dt
import sqlite3
from contextlib import closing
from pathlib import Path

from schemaudit.diff import Hints, compare
from schemaudit.identifiers import RULES_BY_DIALECT
from schemaudit.model import Column, ForeignKey, Index, IndexElement, PrimaryKey, Schema, Table, UniqueConstraint
from schemaudit.plan import PlanOptions, RiskLevel, StepKind, build
from schemaudit.plan.order import create_order, drop_order
from schemaudit.plan.render_sql import comment, script
from schemaudit.types import parse_type

PG, LITE = "postgresql", "sqlite"


def col(name: str, typ: str = "integer", null: bool = True, default: str | None = None, d: str = PG) -> Column:
    return Column(name, parse_type(typ, d), nullable=null, default=default)


def tbl(name: str, *cols: Column, fks: tuple[ForeignKey, ...] = (), **kw: object) -> Table:
    return Table(name, (col("id", null=False), *cols), PrimaryKey(("id",)), foreign_keys=fks, **kw)  # type: ignore[arg-type]


def fk(column: str, table: str) -> ForeignKey:
    return ForeignKey((column,), table, ("id",))


def sch(*tables: Table, d: str = PG) -> Schema:
    return Schema(tuple(sorted(tables, key=lambda t: t.name)), d, rules=RULES_BY_DIALECT[d])


def plan_of(target: Schema, current: Schema, hints: Hints | None = None, **opts: object):  # type: ignore[no-untyped-def]
    options = PlanOptions(target.dialect, date=dt.date(2026, 2, 21), **opts)  # type: ignore[arg-type]
    return build(compare(target, current, hints), target, current, options)


def test_create_order_puts_parents_first_and_breaks_cycles_deterministically() -> None:
    a = tbl("a", col("b_id"), fks=(fk("b_id", "b"),))
    b = tbl("b", col("a_id"), fks=(fk("a_id", "a"),))
    c = tbl("c", col("a_id"), fks=(fk("a_id", "a"),))
    root = tbl("root")
    leaf = tbl("leaf", col("c_id"), col("root_id"), fks=(fk("c_id", "c"), fk("root_id", "root")))
    order = create_order([leaf, c, b, a, root], str, forward_references=False)
    names = [t.name for t in order.tables]
    assert names == ["a", "b", "c", "leaf", "root"] or names.index("root") < names.index("leaf")
    assert names.index("a") < names.index("b") < names.index("c") < names.index("leaf")
    assert order.deferred == {"a": (fk("b_id", "b"),)}
    assert create_order([a, b], str, forward_references=True).deferred == {}
    dropped = [t.name for t in drop_order([root, leaf, c], str)]
    assert dropped[0] == "leaf" and set(dropped) == {"leaf", "c", "root"}


def test_self_reference_is_not_a_cycle() -> None:
    emp = tbl("emp", col("boss_id"), fks=(fk("boss_id", "emp"),))
    assert create_order([emp], str, forward_references=False).deferred == {}


def test_steps_follow_the_safe_order_and_ids_are_numbered() -> None:
    target = sch(
        tbl("app_users", col("name", "text", null=False), col("age")),
        tbl(
            "orders",
            col("user_id"),
            col("total", "bigint"),
            fks=(fk("user_id", "app_users"),),
            indexes=(Index("ix_total", (IndexElement("total"),)),),
        ),
        tbl("invoices", col("order_id"), fks=(fk("order_id", "orders"),)),
    )
    current = sch(
        tbl("users", col("name", "text", null=False)),
        tbl("orders", col("user_id"), col("total"), col("legacy", "text"), fks=(fk("user_id", "users"),)),
        tbl("audit_log", col("msg", "text")),
    )
    plan = plan_of(target, current, Hints.from_mapping({"table": {"users": "app_users"}}), allow_drop=True)
    kinds = [s.kind for s in plan.steps]
    assert kinds == [
        StepKind.TABLE_RENAME,
        StepKind.NEW_TABLE,
        StepKind.NEW_COLUMNS,
        StepKind.ALTERATIONS,
        StepKind.CONSTRAINTS,
        StepKind.DROP_COLUMNS,
        StepKind.DROP_TABLE,
    ]
    assert [s.id for s in plan.steps] == [
        "20260221_0001_rename_users_to_app_users",
        "20260221_0002_create_invoices",
        "20260221_0003_app_users_add_columns",
        "20260221_0004_orders_alter",
        "20260221_0005_orders_constraints",
        "20260221_0006_orders_drop_columns",
        "20260221_0007_drop_audit_log",
    ]
    risks = {s.id: s.risk for s in plan.steps}
    assert risks["20260221_0006_orders_drop_columns"].level is RiskLevel.HIGH
    assert "data loss on drop" in risks["20260221_0007_drop_audit_log"].reasons[0]
    # integer -> bigint widens, but PostgreSQL rewrites the table under ACCESS EXCLUSIVE for it
    assert risks["20260221_0004_orders_alter"].level is RiskLevel.HIGH
    assert "ACCESS EXCLUSIVE" in risks["20260221_0004_orders_alter"].reasons[0]
    assert plan.steps[0].risk.level is RiskLevel.MEDIUM and "1 foreign key follows it" in plan.steps[0].risk.reasons[0]


def test_drops_are_kept_without_allow_drop() -> None:
    target = sch(tbl("t", col("a")))
    current = sch(tbl("t", col("a"), col("b")), tbl("old"))
    plan = plan_of(target, current)
    assert plan.steps == ()
    assert sorted(type(k.change).__name__ for k in plan.kept) == ["DropColumn", "DropTable"]
    assert all("--allow-drop" in k.reason for k in plan.kept)
    text = script(plan)
    assert "-- Kept, not planned:" in text and "No step to run, but 2 change(s) are kept" in text
    assert "Nothing to do" not in text  # the schemas still differ: plan, apply and audit agree


def test_new_not_null_column_without_default_is_high_risk_with_a_backfill_note() -> None:
    plan = plan_of(sch(tbl("t", col("a", null=False))), sch(tbl("t")))
    (step,) = plan.steps
    assert step.risk.level is RiskLevel.HIGH
    assert "NOT NULL on a populated table without default" in step.risk.reasons[0]
    assert step.notes and step.notes[0].startswith("Backfill t.a for existing rows")


def test_unique_added_to_existing_data_is_medium_and_validated_constraints_are_separate() -> None:
    target = sch(tbl("p"), tbl("c", col("p_id"), fks=(fk("p_id", "p"),), uniques=(UniqueConstraint(("p_id",)),)))
    current = sch(tbl("p"), tbl("c", col("p_id")))
    plan = plan_of(target, current)
    assert [s.kind for s in plan.steps] == [StepKind.CONSTRAINTS, StepKind.CONSTRAINTS, StepKind.VALIDATION]
    assert plan.steps[0].risk.level is RiskLevel.MEDIUM
    assert plan.steps[2].statements[0].sql == 'ALTER TABLE "c" VALIDATE CONSTRAINT "c_p_id_fkey"'


def test_new_table_waits_for_a_key_the_plan_adds_to_its_parent() -> None:
    parent = tbl("p", col("code", "text"))
    keyed = tbl("p", col("code", "text"), uniques=(UniqueConstraint(("code",), "p_code_key"),))
    child = Table(
        "c",
        (col("id", null=False), col("code", "text")),
        PrimaryKey(("id",)),
        foreign_keys=(ForeignKey(("code",), "p", ("code",)),),
    )
    plan = plan_of(sch(keyed, child), sch(parent))
    ids = [s.id for s in plan.steps]
    assert ids == ["20260221_0001_create_c", "20260221_0002_p_constraints", "20260221_0003_c_foreign_keys"]
    assert "FOREIGN KEY" not in plan.steps[0].statements[0].sql
    assert plan.steps[2].statements[0].sql.endswith('REFERENCES "p" ("code")')  # new table: valid at once


def test_bookkeeping_tables_are_never_planned() -> None:
    current = sch(tbl("t"), Table("schema_migrations", (col("id", "text", null=False),)), tbl("alembic_version"))
    assert plan_of(sch(tbl("t")), current, allow_drop=True).steps == ()


def test_bookkeeping_tables_only_the_target_has_are_created_and_never_drift() -> None:
    """A Rails structure.sql has `schema_migrations` and `ar_internal_metadata`: both are Rails'
    bookkeeping (no finding either way), and a plan from an empty database creates both as the
    target has them, without rows; one the current already has is left alone."""
    from schemaudit.audit import audit

    versions = Table("schema_migrations", (col("version", "varchar", null=False),), PrimaryKey(("version",)))
    pairs = (col("key", "varchar", null=False), col("value", "varchar"))
    meta = Table("ar_internal_metadata", pairs, PrimaryKey(("key",)))
    target = sch(tbl("t"), versions, meta)
    result = audit(target, sch())
    assert {f.table for f in result.findings} == {"t"}  # the bookkeeping tables are no finding
    assert [t.name for t in result.changes.bookkeeping] == ["ar_internal_metadata", "schema_migrations"]
    options = PlanOptions(PG, date=dt.date(2026, 2, 21))
    plan = build(result.changes, result.target, result.current, options)
    sql = "\n".join(s.sql for step in plan.steps for s in step.statements)
    assert 'CREATE TABLE "schema_migrations" (' in sql and 'CREATE TABLE "ar_internal_metadata" (' in sql
    assert "INSERT" not in sql
    notes = [n for step in plan.steps for n in step.notes]
    assert any(n.startswith("schema_migrations is the bookkeeping of Rails") for n in notes)
    other = Table("schema_migrations", (col("version", "bigint", null=False), col("dirty", "boolean")))
    again = audit(target, sch(tbl("t"), other, meta))
    assert again.findings == () and again.changes.bookkeeping == ()
    assert build(again.changes, again.target, again.current, options).steps == ()


def test_comment_text_cannot_break_out_of_a_sql_comment(tmp_path: Path) -> None:
    assert comment("x\nDROP TABLE y; --\r\u2028z") == "x DROP TABLE y; -- z"
    hostile = "x\nDROP TABLE t; --"
    lite = Column("id", parse_type("INTEGER", LITE), False)
    target = sch(Table("t", (lite,), PrimaryKey(("id",))), Table(hostile, (lite,), PrimaryKey(("id",))), d=LITE)
    current = sch(Table("t", (lite,), PrimaryKey(("id",))), d=LITE)
    text = script(plan_of(target, current))
    assert f"-- New table: Create table {comment(hostile)}" in text
    with closing(sqlite3.connect(tmp_path / "db.db")) as conn:
        conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)")
        conn.executescript(text)  # the whole script, comments and all
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")}
    assert names == {"t", hostile}


def test_sqlite_cross_dialect_target_is_ported() -> None:
    target = sch(tbl("t", col("meta", "jsonb", default="'{}'::jsonb"), col("at", "timestamptz", default="now()")))
    lite_id = Column("id", parse_type("INTEGER", LITE), False)
    meta = Column("meta", parse_type("TEXT", LITE), default="'{}'")
    at = Column("at", parse_type("TEXT", LITE), default="CURRENT_TIMESTAMP")
    current = sch(Table("t", (lite_id,), PrimaryKey(("id",))), d=LITE)
    plan = build(compare(target, current), target, current, PlanOptions(LITE, date=dt.date(2026, 2, 21)))
    sql = [s.sql for step in plan.steps for s in step.statements]
    # SQLite adds no column defaulting to CURRENT_TIMESTAMP: one rebuild adds both
    assert sql[0].startswith('CREATE TABLE "_schemaudit_new_t" (')
    # types by the affinity that keeps the values (JSONB would be NUMERIC), no cast SQLite misreads
    assert "\"meta\" TEXT DEFAULT '{}'," in sql[0]
    assert '"at" TEXT DEFAULT CURRENT_TIMESTAMP,' in sql[0]
    after = sch(Table("t", (lite_id, meta, at), PrimaryKey(("id",))), d=LITE)
    assert compare(target, after).actionable == ()  # TEXT stores JSON and ISO timestamps: converged
