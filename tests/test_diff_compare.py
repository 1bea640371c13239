"""compare(): exact change lists for small hand-built schema pairs, one behaviour per test."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from schemaudit.diff import (
    AddCheck,
    AddColumn,
    AddForeignKey,
    AddIndex,
    AddPrimaryKey,
    AddUnique,
    ColumnChange,
    DropCheck,
    DropColumn,
    DropForeignKey,
    DropIndex,
    DropPrimaryKey,
    DropUnique,
    ForeignKeyChange,
    Hints,
    ModifyColumn,
    ModifyForeignKey,
    ModifyIndex,
    ModifyPrimaryKey,
    ModifyTable,
    RenameColumn,
    RenameTable,
    TableChange,
    TypeRelation,
    compare,
    is_actionable,
    referencing_fks,
)
from schemaudit.diff.hints import HintError
from schemaudit.identifiers import RULES_BY_DIALECT, mysql_rules
from schemaudit.model import (
    CheckConstraint,
    Column,
    ForeignKey,
    Generated,
    Identity,
    Index,
    IndexElement,
    PrimaryKey,
    Schema,
    Table,
    TableOptions,
    UniqueConstraint,
)
from schemaudit.types import parse_type

PG, LITE, MY = "postgresql", "sqlite", "mysql"


def col(
    name: str, typ: str = "text", dialect: str = PG, *, null: bool = True, default: str | None = None, **kw: object
) -> Column:
    return Column(name, parse_type(typ, dialect), nullable=null, default=default, **kw)  # type: ignore[arg-type]


def tbl(name: str, *cols: Column, pk: tuple[str, ...] | None = ("id",), **kw: object) -> Table:
    return Table(name, cols, PrimaryKey(pk) if pk else None, **kw)  # type: ignore[arg-type]


def schema(dialect: str, *tables: Table) -> Schema:
    rules = mysql_rules(1) if dialect == MY else RULES_BY_DIALECT[dialect]
    return Schema(tuple(sorted(tables, key=lambda t: t.name)), dialect, rules=rules)


def ids(dialect: str = PG) -> Column:
    return col("id", "bigint" if dialect != LITE else "INTEGER", dialect, null=False)


def summary(changes: object) -> list[tuple[str, str]]:
    return [(type(c).__name__, c.table) for c in changes]  # type: ignore[attr-defined]


USERS = tbl("users", ids(), col("email", null=False), col("display_name"), col("created_at", "timestamptz"))


# ---- identical, determinism, purity --------------------------------------------------------


def test_identical_schemas_have_no_changes() -> None:
    s = schema(
        PG,
        USERS,
        tbl("orders", ids(), col("user_id", "bigint"), foreign_keys=(ForeignKey(("user_id",), "users", ("id",)),)),
    )
    assert compare(s, s).changes == ()
    rebuilt = schema(PG, *[Table(t.name, tuple(t.columns), t.primary_key, t.foreign_keys) for t in s.tables])
    assert len(compare(s, rebuilt)) == 0


def test_output_is_deterministic_and_inputs_untouched() -> None:
    target = schema(PG, tbl("b", ids(), col("x")), tbl("a", ids(), col("y")), tbl("c", ids()))
    current = schema(PG, tbl("a", ids(), col("z")), tbl("b", ids()), tbl("d", ids(), col("w")))
    before = (hash(target), hash(current))
    first = compare(target, current)
    shuffled = list(current.tables)
    random.Random(3).shuffle(shuffled)
    again = compare(target, Schema(tuple(shuffled), PG, rules=current.rules))
    assert first == again == compare(target, current)
    assert (hash(target), hash(current)) == before
    assert [type(c).__name__ for c in first] == ["AddColumn", "DropColumn", "AddColumn", "AddTable", "DropTable"]


# ---- tables and columns -------------------------------------------------------------------


def test_add_and_drop_table_list_downstream_fks() -> None:
    orders = tbl("orders", ids(), col("user_id", "bigint"), foreign_keys=(ForeignKey(("user_id",), "users", ("id",)),))
    target = schema(PG, USERS, orders, tbl("invoices", ids(), col("total", "numeric(12,2)")))
    current = schema(PG, USERS, orders, tbl("legacy_log", ids()))
    changes = compare(target, current)
    assert summary(changes) == [("AddTable", "invoices"), ("DropTable", "legacy_log")]
    assert referencing_fks(current, "USERS") == () and referencing_fks(current, "users")[0].table == "orders"


def test_table_rename_carries_evidence_and_referencing_fks() -> None:
    target = schema(
        PG,
        tbl("app_users", *USERS.columns),
        tbl(
            "projects",
            ids(),
            col("owner_user_id", "bigint"),
            foreign_keys=(ForeignKey(("owner_user_id",), "app_users", ("id",)),),
        ),
    )
    current = schema(
        PG,
        USERS,
        tbl("projects", ids(), col("user_id", "bigint"), foreign_keys=(ForeignKey(("user_id",), "users", ("id",)),)),
    )
    changes = compare(target, current)
    assert summary(changes) == [("RenameTable", "app_users"), ("RenameColumn", "projects")]
    rename = changes.changes[0]
    assert isinstance(rename, RenameTable) and (rename.from_, rename.to) == ("users", "app_users")
    assert rename.evidence.score >= 0.8 and "same column set" in rename.evidence.reasons
    assert [str(r) for r in rename.referenced_by] == ["projects(user_id)"]
    col_rename = changes.changes[1]
    assert isinstance(col_rename, RenameColumn) and (col_rename.from_, col_rename.to) == ("user_id", "owner_user_id")
    assert "same FK target app_users" in col_rename.evidence.reasons
    assert changes.match_for("app_users") is not None and changes.match_for("app_users").renamed  # type: ignore[union-attr]
    assert [(m.current, m.target) for m in changes.columns] == [("user_id", "owner_user_id")]


def test_add_drop_and_rename_columns() -> None:
    target = schema(PG, tbl("assets", ids(), col("kind"), col("metadata_json", "jsonb"), col("width", "integer")))
    current = schema(PG, tbl("assets", ids(), col("asset_kind"), col("meta_json", "jsonb"), col("run_id", "bigint")))
    changes = compare(target, current)
    assert [(type(c).__name__, getattr(c, "from_", None), getattr(c, "to", None)) for c in changes][:2] == [
        ("RenameColumn", "asset_kind", "kind"),
        ("RenameColumn", "meta_json", "metadata_json"),
    ]
    assert [type(c).__name__ for c in changes] == ["RenameColumn", "RenameColumn", "AddColumn", "DropColumn"]
    assert isinstance(changes.changes[2], AddColumn) and changes.changes[2].to.name == "width"
    assert isinstance(changes.changes[3], DropColumn) and changes.changes[3].from_.name == "run_id"


def test_rename_with_type_change_is_a_rename_plus_modify() -> None:
    target = schema(PG, tbl("t", ids(), col("owner_user_id", "uuid")))
    current = schema(PG, tbl("t", ids(), col("user_id", "integer")))
    changes = compare(target, current)
    assert [type(c).__name__ for c in changes] == ["RenameColumn", "ModifyColumn"]
    mod = changes.changes[1]
    assert isinstance(mod, ModifyColumn) and mod.kinds == {ColumnChange.TYPE}
    assert mod.type_relation is TypeRelation.INCOMPATIBLE and mod.from_.name == "user_id"


def test_unrelated_drop_and_add_at_the_same_place_is_not_a_rename() -> None:
    target = schema(PG, tbl("t", ids(), col("provider_code"), col("created_at", "timestamptz")))
    current = schema(PG, tbl("t", ids(), col("image_quality"), col("created_at", "timestamptz")))
    assert [type(c).__name__ for c in compare(target, current)] == ["AddColumn", "DropColumn"]


def test_near_miss_is_reported_not_applied() -> None:
    target = schema(PG, tbl("runs", ids(), col("settings_snapshot_json", "jsonb", null=False)))
    current = schema(PG, tbl("runs", ids(), col("meta_json", "jsonb", null=False), col("extra")))
    changes = compare(target, current)
    assert [type(c).__name__ for c in changes] == ["AddColumn", "DropColumn", "DropColumn"]
    assert [(n.current, n.target) for n in changes.near_misses] == [("meta_json", "settings_snapshot_json")]


# ---- column attributes and type relations -------------------------------------------------


@pytest.mark.parametrize(
    ("t_type", "t_dialect", "c_type", "c_dialect", "relation", "note"),
    [
        ("uuid", PG, "TEXT", LITE, TypeRelation.EQUIVALENT, "TEXT stores UUID"),
        ("timestamptz", PG, "TEXT", LITE, TypeRelation.EQUIVALENT, "TEXT stores ISO-8601 strings"),
        ("boolean", PG, "INTEGER", LITE, TypeRelation.EQUIVALENT, "INTEGER stores booleans as 0/1"),
        ("jsonb", PG, "TEXT", LITE, TypeRelation.EQUIVALENT, "TEXT stores JSON text"),
        ("varchar(255)", PG, "varchar(100)", PG, TypeRelation.NARROWER, None),
        ("varchar(100)", PG, "character varying(255)", PG, TypeRelation.WIDER, None),
        ("bigint", PG, "integer", PG, TypeRelation.NARROWER, None),
        ("text", PG, "integer", PG, TypeRelation.INCOMPATIBLE, None),
        ("varchar(255)", PG, "VARCHAR(100)", LITE, TypeRelation.EQUIVALENT, "sqlite does not enforce declared sizes"),
        ("VARCHAR(20)", LITE, "TEXT", LITE, TypeRelation.EQUIVALENT, "same SQLite affinity, TEXT"),
        ("uuid", PG, "varchar(16)", MY, TypeRelation.NARROWER, "varchar(16) is too short for uuid"),
        # where the current database has the real type, text in its place is a choice with
        # consequences (no validation, uuid = text fails), not a storage necessity
        (
            "jsonb",
            PG,
            "text",
            PG,
            TypeRelation.INCOMPATIBLE,
            "text where postgresql has a native json type: no validation, other operators",
        ),
        (
            "uuid",
            PG,
            "text",
            PG,
            TypeRelation.INCOMPATIBLE,
            "text where postgresql has a native uuid type: no validation, other operators",
        ),
        (
            "json",
            MY,
            "longtext",
            MY,
            TypeRelation.INCOMPATIBLE,
            "longtext where mysql has a native json type: no validation, other operators",
        ),
        ("uuid", PG, "char(36)", MY, TypeRelation.EQUIVALENT, "char(36) stores UUID"),
    ],
)
def test_type_relations(
    t_type: str, t_dialect: str, c_type: str, c_dialect: str, relation: TypeRelation, note: str | None
) -> None:
    target = schema(t_dialect, tbl("t", ids(t_dialect), col("v", t_type, t_dialect)))
    current = schema(c_dialect, tbl("t", ids(c_dialect), col("v", c_type, c_dialect)))
    mods = [c for c in compare(target, current) if isinstance(c, ModifyColumn) and c.to.name == "v"]
    assert len(mods) == 1 and mods[0].kinds == {ColumnChange.TYPE}
    assert (mods[0].type_relation, mods[0].note) == (relation, note)
    assert is_actionable(mods[0]) is (relation is not TypeRelation.EQUIVALENT)


def test_equal_types_across_spellings_are_no_change() -> None:
    target = schema(PG, tbl("t", ids(), col("a", "character varying(20)"), col("b", "int4"), col("c", "bool")))
    current = schema(PG, tbl("t", ids(), col("a", "varchar(20)"), col("b", "integer"), col("c", "boolean")))
    assert compare(target, current).changes == ()


@pytest.mark.parametrize(
    ("t_default", "c_default", "typ", "c_dialect"),
    [
        ("TRUE", "1", "boolean", LITE),
        ("true", "'t'", "boolean", PG),
        ("'{}'::jsonb", "'{}'", "jsonb", LITE),
        ("now()", "CURRENT_TIMESTAMP", "timestamptz", LITE),
        ("now()", "(datetime('now'))", "timestamptz", LITE),
        ("CURRENT_TIMESTAMP", "CURRENT_TIMESTAMP()", "timestamptz", MY),
        ("'abc'::character varying", "'abc'", "varchar(10)", LITE),
        ("NULL", None, "text", PG),
        ("(0)::numeric", "0.0", "numeric(10,2)", PG),
    ],
)
def test_default_spellings_that_mean_the_same(t_default: str, c_default: str | None, typ: str, c_dialect: str) -> None:
    c_type = {"boolean": "INTEGER", "jsonb": "TEXT", "timestamptz": "TEXT"}.get(typ, typ) if c_dialect == LITE else typ
    c_type = "DATETIME" if c_dialect == MY and typ == "timestamptz" else c_type
    target = schema(PG, tbl("t", ids(), col("v", typ, default=t_default)))
    current = schema(c_dialect, tbl("t", ids(c_dialect), col("v", c_type, c_dialect, default=c_default)))
    assert not any(ColumnChange.DEFAULT in getattr(c, "kinds", ()) for c in compare(target, current))


def test_other_column_attributes() -> None:
    target = schema(
        PG,
        tbl(
            "t",
            ids(),
            col("a", null=False),
            col("b", default="'x'"),
            col("c", "integer", identity=Identity("always")),
            col("d", "integer", generated=Generated("a_len * 2", True)),
            col("e", comment="why"),
            col("f", collation="C"),
        ),
    )
    current = schema(
        PG,
        tbl(
            "t",
            ids(),
            col("a"),
            col("b", default="'y'"),
            col("c", "integer"),
            col("d", "integer", generated=Generated("(a_len * 2)", False)),
            col("e"),
            col("f", collation="en_US"),
        ),
    )
    kinds = {c.to.name: set(c.kinds) for c in compare(target, current) if isinstance(c, ModifyColumn)}
    assert kinds == {
        "a": {ColumnChange.NULLABLE},
        "b": {ColumnChange.DEFAULT},
        "c": {ColumnChange.IDENTITY},
        "d": {ColumnChange.GENERATED},
        "e": {ColumnChange.COMMENT},
        "f": {ColumnChange.COLLATION},
    }


def test_primary_key_columns_count_as_not_null() -> None:
    target = schema(PG, tbl("t", col("id", "uuid", null=False)))
    current = schema(LITE, tbl("t", col("id", "TEXT", LITE, null=True)))
    assert [c.kinds for c in compare(target, current)] == [{ColumnChange.TYPE}]


def test_sqlite_rowid_alias_satisfies_a_target_without_identity_but_not_the_reverse() -> None:
    plain = schema(PG, tbl("t", col("id", "integer", null=False)))
    rowid = schema(LITE, tbl("t", col("id", "INTEGER", LITE, null=False, identity=Identity("rowid"))))
    assert compare(plain, rowid).actionable == ()  # SQLite numbers the key by itself: no drift
    kinds = [c.kinds for c in compare(rowid, schema(LITE, tbl("t", col("id", "INTEGER", LITE, null=False))))]
    assert kinds == [{ColumnChange.IDENTITY}]  # the target relies on automatic ids


# ---- names and case ------------------------------------------------------------------------


def test_case_insensitive_when_either_side_is() -> None:
    target = schema(PG, tbl("users", ids(), col("email")))
    current = schema(LITE, tbl("Users", col("ID", "INTEGER", LITE, null=False), col("EMAIL", "TEXT", LITE), pk=("ID",)))
    assert compare(target, current).changes == ()
    both_exact = compare(target, schema(PG, tbl("Users", ids(), col("email"))))
    assert summary(both_exact) == [("RenameTable", "users")]  # distinct names in PostgreSQL, evidently one table


# ---- hints ---------------------------------------------------------------------------------


def test_hints_override_scoring_and_unused_hints_are_reported() -> None:
    target = schema(PG, tbl("ledger", ids(), col("zeta")), tbl("other", ids()))
    current = schema(PG, tbl("journal", ids(), col("omega")), tbl("other", ids()))
    plain = compare(target, current)
    assert summary(plain) == [("DropTable", "journal"), ("AddTable", "ledger")]
    hints = Hints.from_mapping({"table": {"journal": "ledger", "nope": "x"}, "column": {"ledger.omega": "zeta"}})
    hinted = compare(target, current, hints)
    assert summary(hinted) == [("RenameTable", "ledger"), ("RenameColumn", "ledger")]
    assert hinted.changes[0].evidence.hinted  # type: ignore[union-attr]
    assert hinted.unused_hints == ("table nope=x",)
    assert Hints.from_specs(["journal=ledger", "journal.omega=zeta"]).columns == (("journal", "omega", "zeta"),)
    with pytest.raises(HintError):
        Hints.from_specs(["broken"])


# ---- keys and foreign keys -----------------------------------------------------------------


def test_primary_key_changes() -> None:
    t = schema(PG, tbl("a", ids(), col("x")), tbl("b", ids(), pk=None), tbl("c", ids(), col("x"), pk=("id", "x")))
    c = schema(PG, tbl("a", ids(), col("x"), pk=None), tbl("b", ids()), tbl("c", ids(), col("x")))
    assert [type(x) for x in compare(t, c)] == [AddPrimaryKey, DropPrimaryKey, ModifyPrimaryKey]


def test_foreign_key_changes_matched_by_content_not_name() -> None:
    def fk(cols: str, ref: str, name: str | None = None, on_delete: str = "NO ACTION") -> ForeignKey:
        return ForeignKey((cols,), ref, ("id",), name=name, on_delete=on_delete)

    target = schema(
        PG,
        USERS,
        tbl(
            "o",
            ids(),
            col("u", "bigint"),
            col("v", "bigint"),
            col("w", "bigint"),
            foreign_keys=(fk("u", "users", "fk_a"), fk("v", "users", on_delete="CASCADE"), fk("w", "users")),
        ),
    )
    current = schema(
        PG,
        USERS,
        tbl(
            "o",
            ids(),
            col("u", "bigint"),
            col("v", "bigint"),
            col("w", "bigint"),
            foreign_keys=(fk("u", "users", "o_u_fkey"), fk("v", "users"), fk("id", "users")),
        ),
    )
    changes = compare(target, current)
    assert [type(c) for c in changes] == [AddForeignKey, ModifyForeignKey, DropForeignKey]
    mod = changes.changes[1]
    assert isinstance(mod, ModifyForeignKey) and mod.kinds == {ForeignKeyChange.ON_DELETE}


def test_mysql_no_action_is_restrict() -> None:
    fk = ForeignKey(("u",), "users", ("id",), on_delete="RESTRICT")
    target = schema(PG, USERS, tbl("o", ids(), col("u", "bigint"), foreign_keys=(fk,)))
    users = tbl(
        "users",
        ids(MY),
        *[
            col(c.name, "varchar(255)" if c.type.raw == "text" else "datetime", MY, null=c.nullable)
            for c in USERS.columns[1:]
        ],
    )
    current = schema(
        MY, users, tbl("o", ids(MY), col("u", "bigint", MY), foreign_keys=(ForeignKey(("u",), "users", ("id",)),))
    )
    assert not [c for c in compare(target, current) if isinstance(c, ModifyForeignKey)]


# ---- uniques, checks, indexes ---------------------------------------------------------------


def test_unique_constraints_by_columns_and_unique_index_equivalence() -> None:
    target = schema(
        PG,
        tbl(
            "t",
            ids(),
            col("a"),
            col("b"),
            col("c"),
            uniques=(UniqueConstraint(("a",), "t_a_key"), UniqueConstraint(("b",))),
        ),
    )
    current = schema(
        MY,
        tbl(
            "t",
            ids(MY),
            col("a", "text", MY),
            col("b", "text", MY),
            col("c", "text", MY),
            indexes=(Index("b_idx", (IndexElement("b"),), unique=True),),
            uniques=(UniqueConstraint(("a",), "a"), UniqueConstraint(("c",), "c")),
        ),
    )
    assert [type(c) for c in compare(target, current)] == [DropUnique]


def test_postgres_any_array_check_matches_in_list() -> None:
    pg = "((actor_type)::text = ANY ((ARRAY['user'::character varying, 'system'::character varying])::text[]))"
    target = schema(
        LITE,
        tbl(
            "t",
            ids(LITE),
            col("actor_type", "TEXT", LITE),
            checks=(CheckConstraint("actor_type IN ('user','system')"),),
        ),
    )
    current = schema(PG, tbl("t", ids(), col("actor_type", "varchar(16)"), checks=(CheckConstraint(pg, "t_chk"),)))
    assert not [c for c in compare(target, current) if isinstance(c, (AddCheck, DropCheck))]
    other = schema(
        PG, tbl("t", ids(), col("actor_type", "varchar(16)"), checks=(CheckConstraint("actor_type IN ('user')"),))
    )
    assert [type(c) for c in compare(target, other) if not isinstance(c, ModifyColumn)] == [AddCheck, DropCheck]


def test_check_follows_a_column_rename() -> None:
    target = schema(
        PG, tbl("t", ids(), col("metadata_json", "jsonb"), checks=(CheckConstraint("metadata_json IS NOT NULL"),))
    )
    current = schema(
        PG, tbl("t", ids(), col("meta_json", "jsonb"), checks=(CheckConstraint("(meta_json IS NOT NULL)"),))
    )
    assert [type(c) for c in compare(target, current)] == [RenameColumn]


def test_index_satisfied_by_unique_is_marked_not_missing() -> None:
    target = schema(
        PG,
        tbl(
            "users",
            ids(),
            col("email"),
            indexes=(Index("ix_users_email", (IndexElement("email"),)),),
            uniques=(UniqueConstraint(("email",), "uq_users_email"),),
        ),
    )
    current = schema(PG, tbl("users", ids(), col("email"), uniques=(UniqueConstraint(("email",), "users_email_key"),)))
    changes = compare(target, current)
    assert [type(c) for c in changes] == [AddIndex]
    add = changes.changes[0]
    assert isinstance(add, AddIndex) and add.satisfied_by_unique == "users_email_key"
    assert not is_actionable(add) and changes.actionable == ()


def test_index_add_drop_modify_and_mysql_fk_index() -> None:
    def ix(name: str, *cols: str, desc: bool = False) -> Index:
        return Index(name, tuple(IndexElement(c, descending=desc and i > 0) for i, c in enumerate(cols)))

    target = schema(
        PG,
        tbl(
            "runs",
            ids(),
            col("project_id", "bigint"),
            col("created_at", "timestamptz"),
            col("status"),
            indexes=(ix("ix_runs_project", "project_id", "created_at", desc=True), ix("ix_runs_status", "status")),
        ),
    )
    current = schema(
        PG,
        tbl(
            "runs",
            ids(),
            col("project_id", "bigint"),
            col("created_at", "timestamptz"),
            col("status"),
            indexes=(ix("idx_runs_project", "project_id"), ix("ix_old", "created_at")),
        ),
    )
    assert [type(c) for c in compare(target, current)] == [AddIndex, ModifyIndex, DropIndex]
    fk = ForeignKey(("project_id",), "projects", ("id",), name="runs_project_fk")
    my_t = schema(MY, tbl("runs", ids(MY), col("project_id", "bigint", MY), foreign_keys=(fk,)))
    my_c = schema(
        MY,
        tbl(
            "runs",
            ids(MY),
            col("project_id", "bigint", MY),
            foreign_keys=(fk,),
            indexes=(ix("runs_project_fk", "project_id"),),
        ),
    )
    # the index InnoDB made for the key (named after it, exactly its columns) is no change
    assert compare(my_t, my_c).changes == ()
    mine = replace(my_c.tables[0], indexes=(ix("ix_mine", "project_id"),))
    (drop,) = compare(my_t, replace(my_c, tables=(mine,))).changes
    assert isinstance(drop, DropIndex) and drop.required_by_fk == "runs_project_fk"


def test_table_comment_and_options() -> None:
    target = schema(LITE, tbl("t", ids(LITE), comment="ledger", options=TableOptions(strict=True)))
    current = schema(LITE, tbl("t", ids(LITE)))
    (mod,) = compare(target, current).changes
    assert isinstance(mod, ModifyTable) and mod.kinds == {TableChange.OPTIONS}  # SQLite keeps no comments
    pg_target = schema(PG, tbl("t", ids(), comment="ledger"))
    (mod,) = compare(pg_target, schema(PG, tbl("t", ids()))).changes
    assert isinstance(mod, ModifyTable) and mod.kinds == {TableChange.COMMENT}


def test_every_change_describes_itself_in_one_sentence() -> None:
    target = schema(PG, tbl("app_users", *USERS.columns), tbl("n", ids(), col("x", null=False)))
    current = schema(
        LITE,
        tbl("users", *[col(c.name, "TEXT", LITE, null=c.nullable) for c in USERS.columns]),
        tbl("n", ids(LITE), col("y", "TEXT", LITE)),
        tbl("gone", ids(LITE)),
    )
    for change in compare(target, current):
        text = change.describe()
        assert text.endswith(".") and "\n" not in text and change.table in text


# ---- normalizers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "a_dialect", "b", "b_dialect"),
    [
        ("(actor_type = ANY (ARRAY['user'::text, 'system'::text]))", PG, "actor_type IN ('system', 'user')", LITE),
        ("(`status` in (_utf8mb4'a',_utf8mb4'b'))", MY, "((status)::text = ANY ((ARRAY['a'::text, 'b'::text])))", PG),
        ("(x <> ALL (ARRAY['a'::text, 'b'::text]))", PG, "x NOT IN ('a','b')", LITE),
        ("((x >= 1) AND (x <= 5))", PG, "x BETWEEN 1 AND 5", LITE),
        ('"x" IS NOT NULL', PG, "x IS NOT NULL", LITE),
        ("(price >= (0)::numeric)", PG, "price>=0.0", LITE),
        ("(char_length((name)::text) > 0)", PG, "length(name) > 0", LITE),
        ("a > 0 AND (b > 0 AND c > 0)", LITE, "((c > 0) AND (a > 0)) AND (b > 0)", PG),
    ],
)
def test_expression_spellings_that_mean_the_same(a: str, a_dialect: str, b: str, b_dialect: str) -> None:
    from schemaudit.diff.expressions import expression_key

    assert expression_key(a, a_dialect) == expression_key(b, b_dialect)


def test_expression_keys_keep_real_differences() -> None:
    from schemaudit.diff.expressions import expression_key

    assert expression_key("a > 0 OR b > 0 AND c > 0", LITE) != expression_key("(a > 0 OR b > 0) AND c > 0", LITE)
    assert expression_key("x IN ('a')", LITE) != expression_key("x IN ('a', 'b')", LITE)
    assert expression_key("x > 1", LITE) != expression_key("x >= 1", LITE)
    assert expression_key("not valid sql ((", LITE) == expression_key("NOT  valid sql ((", LITE)


def test_mysql_prefix_unique_key_is_not_a_full_unique() -> None:
    target = schema(MY, tbl("t", ids(MY), col("name", "varchar(255)", MY), uniques=(UniqueConstraint(("name",)),)))
    prefix = Index("name", (IndexElement("name", length=10),), unique=True)
    current = schema(MY, tbl("t", ids(MY), col("name", "varchar(255)", MY), indexes=(prefix,)))
    assert [type(c) for c in compare(target, current)] == [AddUnique, DropIndex]


def test_comments_are_no_drift_against_sqlite_which_keeps_none() -> None:
    target = schema(PG, tbl("t", ids(), col("v", comment="why"), comment="table"))
    assert compare(target, schema(LITE, tbl("t", ids(LITE), col("v", "TEXT", LITE)))).changes == ()
    kinds = {type(c).__name__ for c in compare(target, schema(PG, tbl("t", ids(), col("v"))))}
    assert kinds == {"ModifyColumn", "ModifyTable"}


def test_a_specs_value_list_on_text_is_no_type_change_on_sqlite() -> None:
    """`status TEXT NOT NULL` (`queued|running|done`) in a spec lists the labels; on SQLite the
    TEXT column on the other side is the same type, not 'same SQLite affinity (TEXT)'."""
    documented = replace(col("status", "TEXT", LITE), type=replace(parse_type("TEXT", LITE), values=("queued", "done")))
    target = schema(LITE, tbl("t", ids(LITE), documented))
    current = schema(LITE, tbl("t", ids(LITE), col("status", "TEXT", LITE)))
    assert compare(target, current).changes == ()


def test_an_integer_cast_to_numeric_beside_a_decimal_constant_is_the_servers_own_cast() -> None:
    """Pagila's generated `round(length / 60.0, 2)` is stored as `round(((length)::numeric /
    60.0), 2)`; a cast with a precision, or beside an integer constant, still means something."""
    from schemaudit.diff.expressions import expression_key

    written = expression_key("round(length / 60.0, 2)", "postgres")
    assert expression_key("round(((length)::numeric / 60.0), 2)", "postgres") == written
    assert expression_key("round((60.0 * (length)::numeric), 2)", "postgres") == expression_key(
        "round(60.0 * length, 2)", "postgres"
    )
    assert expression_key("round(((length)::numeric(10,2) / 60.0), 2)", "postgres") != written
    assert expression_key("round(((length)::numeric / 60), 2)", "postgres") != expression_key(
        "round(length / 60, 2)", "postgres"
    )
