"""Exact SQL per change kind per dialect: one small (target, current) pair per kind, built
from model values, planned, and compared statement by statement.

These pin what each dialect method writes; the convergence corpus proves the statements run
and converge on real databases.
"""

from __future__ import annotations

import datetime as dt

import pytest

from schemaudit.diff import Hints, compare
from schemaudit.identifiers import RULES_BY_DIALECT
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
    UniqueConstraint,
)
from schemaudit.plan import PlanOptions, build
from schemaudit.types import parse_type

PG, MY, LITE = "postgresql", "mysql", "sqlite"
INT = {PG: "integer", MY: "int(11)", LITE: "INTEGER"}
TXT = {PG: "text", MY: "varchar(50)", LITE: "TEXT"}


def col(name: str, typ: str, d: str, null: bool = True, default: str | None = None, **kw: object) -> Column:
    return Column(name, parse_type(typ, d), nullable=null, default=default, **kw)  # type: ignore[arg-type]


def tbl(
    name: str, *cols: Column, pk: tuple[str, ...] | None = ("id",), pk_name: str | None = None, **kw: object
) -> Table:
    return Table(name, cols, PrimaryKey(pk, pk_name) if pk else None, **kw)  # type: ignore[arg-type]


def sch(d: str, *tables: Table) -> Schema:
    return Schema(tuple(sorted(tables, key=lambda t: t.name)), d, rules=RULES_BY_DIALECT[d])


def plan_sql(d: str, target: Schema, current: Schema, hints: Hints | None = None, **options: object) -> list[str]:
    """Every statement of the plan in order; kept changes as `KEPT: reason` lines."""
    changes = compare(target, current, hints)
    opts = PlanOptions(d, allow_drop=True, date=dt.date(2026, 2, 21), **options)  # type: ignore[arg-type]
    plan = build(changes, target, current, opts)
    return [s.sql for step in plan.steps for s in step.statements] + [f"KEPT: {k.reason}" for k in plan.kept]


def users(d: str, *extra: Column, **kw: object) -> Table:
    return tbl("users", col("id", INT[d], d, null=False), col("name", TXT[d], d), *extra, **kw)


def case(name: str, d: str) -> tuple[Schema, Schema, Hints | None]:
    """(target, current, hints) for one change kind."""
    i, t = INT[d], TXT[d]
    base = users(d)
    ident = col("id", i, d, null=False)
    if name == "rename_table":
        return sch(d, tbl("people", *base.columns)), sch(d, base), Hints.from_mapping({"table": {"users": "people"}})
    if name == "rename_column":
        renamed = tbl("users", ident, col("full_name", t, d))
        return sch(d, renamed), sch(d, base), Hints.from_mapping({"column": {"users.name": "full_name"}})
    if name == "add_table":
        posts = tbl(
            "posts",
            ident,
            col("user_id", i, d, null=False),
            col("body", t, d, default="'x'"),
            foreign_keys=(ForeignKey(("user_id",), "users", ("id",), "fk_posts_user", on_delete="CASCADE"),),
            indexes=(Index("ix_posts_user", (IndexElement("user_id"),)),),
            checks=(CheckConstraint("user_id > 0", "ck_posts_user"),),
        )
        return sch(d, base, posts), sch(d, base), None
    if name == "drop_table":
        return sch(d, base), sch(d, base, tbl("old", ident)), None
    if name == "add_column":
        return sch(d, users(d, col("age", i, d, null=False, default="0"))), sch(d, base), None
    if name == "drop_column":
        return sch(d, tbl("users", ident)), sch(d, base), None
    if name == "modify_column_type":
        return sch(d, tbl("users", ident, col("name", i, d))), sch(d, base), None
    if name == "modify_column_nullable":
        return sch(d, tbl("users", ident, col("name", t, d, null=False))), sch(d, base), None
    if name == "modify_column_default":
        return sch(d, tbl("users", ident, col("name", t, d, default="'n'"))), sch(d, base), None
    if name == "modify_column_comment":
        return sch(d, tbl("users", ident, col("name", t, d, comment="shown name"))), sch(d, base), None
    if name == "modify_table_comment":
        return sch(d, users(d, comment="people who log in")), sch(d, base), None
    if name == "add_primary_key":
        return sch(d, base), sch(d, users(d, pk=None)), None
    if name == "drop_primary_key":
        named = tbl("users", *base.columns, pk_name="users_pkey")
        return sch(d, users(d, pk=None)), sch(d, named), None
    if name == "modify_primary_key":
        both = tbl("users", ident, col("name", t, d, null=False), pk=("id", "name"))
        named = tbl("users", ident, col("name", t, d, null=False), pk_name="users_pkey")
        return sch(d, both), sch(d, named), None
    fk = ForeignKey(("parent_id",), "users", ("id",), "fk_kids_parent")
    kids = tbl("kids", ident, col("parent_id", i, d))
    if name == "add_foreign_key":
        return sch(d, base, tbl("kids", *kids.columns, foreign_keys=(fk,))), sch(d, base, kids), None
    if name == "drop_foreign_key":
        return sch(d, base, kids), sch(d, base, tbl("kids", *kids.columns, foreign_keys=(fk,))), None
    if name == "modify_foreign_key":
        cascade = ForeignKey(("parent_id",), "users", ("id",), "fk_kids_parent", on_delete="CASCADE")
        target = sch(d, base, tbl("kids", *kids.columns, foreign_keys=(cascade,)))
        return target, sch(d, base, tbl("kids", *kids.columns, foreign_keys=(fk,))), None
    if name == "add_unique":
        return sch(d, users(d, uniques=(UniqueConstraint(("name",), "uq_users_name"),))), sch(d, base), None
    if name == "drop_unique":
        return sch(d, base), sch(d, users(d, uniques=(UniqueConstraint(("name",), "uq_users_name"),))), None
    if name == "add_check":
        return sch(d, users(d, checks=(CheckConstraint("length(name) > 0", "ck_users_name"),))), sch(d, base), None
    if name == "drop_check":
        return sch(d, base), sch(d, users(d, checks=(CheckConstraint("length(name) > 0", "ck_users_name"),))), None
    ix = Index("ix_users_name", (IndexElement("name"),))
    if name == "add_index":
        desc = Index("ix_users_name_id", (IndexElement("name"), IndexElement("id", descending=True)))
        return sch(d, users(d, indexes=(desc,))), sch(d, base), None
    if name == "drop_index":
        return sch(d, base), sch(d, users(d, indexes=(ix,))), None
    if name == "modify_index":
        unique = Index("ix_users_name", (IndexElement("name"),), unique=True)
        return sch(d, users(d, indexes=(unique,))), sch(d, users(d, indexes=(ix,))), None
    if name == "rename_index":
        new = Index("ix_users_by_name", (IndexElement("name"),))
        return sch(d, users(d, indexes=(new,))), sch(d, users(d, indexes=(ix,))), None
    if name == "rename_constraint":
        old, new = UniqueConstraint(("name",), "uq_old"), UniqueConstraint(("name",), "uq_users_name")
        return sch(d, users(d, uniques=(new,))), sch(d, users(d, uniques=(old,))), None
    raise AssertionError(name)


EXPECTED: dict[tuple[str, str], list[str]] = {
    # ---- PostgreSQL ----
    ("rename_table", PG): ['ALTER TABLE "users" RENAME TO "people"'],
    ("rename_column", PG): ['ALTER TABLE "users" RENAME COLUMN "name" TO "full_name"'],
    ("add_table", PG): [
        'CREATE TABLE "posts" (\n    "id" integer NOT NULL,\n    "user_id" integer NOT NULL,\n'
        '    "body" text DEFAULT \'x\',\n    PRIMARY KEY ("id"),\n    CONSTRAINT "ck_posts_user" CHECK (user_id > 0),\n'
        '    CONSTRAINT "fk_posts_user" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE\n)',
        'CREATE INDEX "ix_posts_user" ON "posts" ("user_id")',
    ],
    ("drop_table", PG): ['DROP TABLE "old"'],
    ("add_column", PG): ['ALTER TABLE "users" ADD COLUMN "age" integer NOT NULL DEFAULT 0'],
    ("drop_column", PG): ['ALTER TABLE "users" DROP COLUMN "name"'],
    ("modify_column_type", PG): ['ALTER TABLE "users" ALTER COLUMN "name" TYPE integer USING "name"::integer'],
    ("modify_column_nullable", PG): ['ALTER TABLE "users" ALTER COLUMN "name" SET NOT NULL'],
    ("modify_column_default", PG): ['ALTER TABLE "users" ALTER COLUMN "name" SET DEFAULT \'n\''],
    ("modify_column_comment", PG): ['COMMENT ON COLUMN "users"."name" IS \'shown name\''],
    ("modify_table_comment", PG): ["COMMENT ON TABLE \"users\" IS 'people who log in'"],
    ("add_primary_key", PG): ['ALTER TABLE "users" ADD PRIMARY KEY ("id")'],
    ("drop_primary_key", PG): ['ALTER TABLE "users" DROP CONSTRAINT "users_pkey"'],
    ("modify_primary_key", PG): [
        'ALTER TABLE "users"\n    DROP CONSTRAINT "users_pkey",\n    ADD PRIMARY KEY ("id", "name")'
    ],
    ("add_foreign_key", PG): [
        'ALTER TABLE "kids" ADD CONSTRAINT "fk_kids_parent" FOREIGN KEY ("parent_id") REFERENCES "users" ("id") NOT VALID',  # noqa: E501
        'ALTER TABLE "kids" VALIDATE CONSTRAINT "fk_kids_parent"',
    ],
    ("drop_foreign_key", PG): ['ALTER TABLE "kids" DROP CONSTRAINT "fk_kids_parent"'],
    ("modify_foreign_key", PG): [
        'ALTER TABLE "kids" DROP CONSTRAINT "fk_kids_parent"',
        'ALTER TABLE "kids" ADD CONSTRAINT "fk_kids_parent" FOREIGN KEY ("parent_id") REFERENCES "users" ("id") '
        "ON DELETE CASCADE NOT VALID",
        'ALTER TABLE "kids" VALIDATE CONSTRAINT "fk_kids_parent"',
    ],
    ("add_unique", PG): ['ALTER TABLE "users" ADD CONSTRAINT "uq_users_name" UNIQUE ("name")'],
    ("drop_unique", PG): ['ALTER TABLE "users" DROP CONSTRAINT "uq_users_name"'],
    ("add_check", PG): [
        'ALTER TABLE "users" ADD CONSTRAINT "ck_users_name" CHECK (length(name) > 0) NOT VALID',
        'ALTER TABLE "users" VALIDATE CONSTRAINT "ck_users_name"',
    ],
    ("drop_check", PG): ['ALTER TABLE "users" DROP CONSTRAINT "ck_users_name"'],
    ("add_index", PG): ['CREATE INDEX "ix_users_name_id" ON "users" ("name", "id" DESC)'],
    ("drop_index", PG): ['DROP INDEX "ix_users_name"'],
    ("rename_index", PG): ['ALTER INDEX "ix_users_name" RENAME TO "ix_users_by_name"'],
    ("rename_constraint", PG): ['ALTER TABLE "users" RENAME CONSTRAINT "uq_old" TO "uq_users_name"'],
    ("rename_index", MY): ["ALTER TABLE `users` RENAME INDEX `ix_users_name` TO `ix_users_by_name`"],
    ("rename_constraint", MY): ["ALTER TABLE `users` RENAME INDEX `uq_old` TO `uq_users_name`"],  # a unique key
    ("rename_index", LITE): ['DROP INDEX "ix_users_name"', 'CREATE INDEX "ix_users_by_name" ON "users" ("name")'],
    ("rename_constraint", LITE): [],  # SQLite renames no constraint short of a rebuild: not worth one
    ("modify_index", PG): ['DROP INDEX "ix_users_name"', 'CREATE UNIQUE INDEX "ix_users_name" ON "users" ("name")'],
    # ---- MySQL / MariaDB ----
    ("rename_table", MY): ["RENAME TABLE `users` TO `people`"],
    ("rename_column", MY): ["ALTER TABLE `users` RENAME COLUMN `name` TO `full_name`"],
    ("add_table", MY): [
        "CREATE TABLE `posts` (\n    `id` int(11) NOT NULL,\n    `user_id` int(11) NOT NULL,\n"
        "    `body` varchar(50) NULL DEFAULT 'x',\n    PRIMARY KEY (`id`),\n    CONSTRAINT `ck_posts_user` CHECK (user_id > 0),\n"  # noqa: E501
        "    CONSTRAINT `fk_posts_user` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE CASCADE,\n"
        "    INDEX `ix_posts_user` (`user_id`)\n)"
    ],
    ("drop_table", MY): ["DROP TABLE `old`"],
    ("add_column", MY): ["ALTER TABLE `users` ADD COLUMN `age` int(11) NOT NULL DEFAULT 0 AFTER `name`"],
    ("drop_column", MY): ["ALTER TABLE `users` DROP COLUMN `name`"],
    ("modify_column_type", MY): ["ALTER TABLE `users` MODIFY COLUMN `name` int(11) NULL"],
    ("modify_column_nullable", MY): ["ALTER TABLE `users` MODIFY COLUMN `name` varchar(50) NOT NULL"],
    ("modify_column_default", MY): ["ALTER TABLE `users` ALTER COLUMN `name` SET DEFAULT 'n'"],
    ("modify_column_comment", MY): ["ALTER TABLE `users` MODIFY COLUMN `name` varchar(50) NULL COMMENT 'shown name'"],
    ("modify_table_comment", MY): ["ALTER TABLE `users` COMMENT='people who log in'"],
    ("add_primary_key", MY): ["ALTER TABLE `users` ADD PRIMARY KEY (`id`)"],
    ("drop_primary_key", MY): ["ALTER TABLE `users` DROP PRIMARY KEY"],
    ("modify_primary_key", MY): ["ALTER TABLE `users`\n    DROP PRIMARY KEY,\n    ADD PRIMARY KEY (`id`, `name`)"],
    ("add_foreign_key", MY): [
        "ALTER TABLE `kids` ADD CONSTRAINT `fk_kids_parent` FOREIGN KEY (`parent_id`) REFERENCES `users` (`id`)"
    ],
    ("drop_foreign_key", MY): ["ALTER TABLE `kids` DROP FOREIGN KEY `fk_kids_parent`"],
    ("modify_foreign_key", MY): [
        "ALTER TABLE `kids` DROP FOREIGN KEY `fk_kids_parent`",
        "ALTER TABLE `kids` ADD CONSTRAINT `fk_kids_parent` FOREIGN KEY (`parent_id`) REFERENCES `users` (`id`) "
        "ON DELETE CASCADE",
    ],
    ("add_unique", MY): ["ALTER TABLE `users` ADD CONSTRAINT `uq_users_name` UNIQUE (`name`)"],
    ("drop_unique", MY): ["ALTER TABLE `users` DROP INDEX `uq_users_name`"],
    ("add_check", MY): ["ALTER TABLE `users` ADD CONSTRAINT `ck_users_name` CHECK (length(name) > 0)"],
    ("drop_check", MY): ["ALTER TABLE `users` DROP CONSTRAINT `ck_users_name`"],
    ("add_index", MY): ["ALTER TABLE `users` ADD INDEX `ix_users_name_id` (`name`, `id` DESC)"],
    ("drop_index", MY): ["ALTER TABLE `users` DROP INDEX `ix_users_name`"],
    ("modify_index", MY): [  # one statement: a foreign key never lacks its index
        "ALTER TABLE `users`\n    DROP INDEX `ix_users_name`,\n    ADD UNIQUE INDEX `ix_users_name` (`name`)",
    ],
}
_REBUILD_TAIL = [
    'INSERT INTO "_schemaudit_new_users" (rowid, "id", "name")\n    SELECT rowid, "id", "name" FROM "users"',
    'DROP TABLE "users"',
    "PRAGMA legacy_alter_table = ON",
    'ALTER TABLE "_schemaudit_new_users" RENAME TO "users"',
    "PRAGMA legacy_alter_table = OFF",
]


def _rebuild(body: str, tail_extra: list[str] | None = None, check: tuple[str, ...] = ("users",)) -> list[str]:
    create = f'CREATE TABLE "_schemaudit_new_users" (\n{body}\n)'
    return [create, *_REBUILD_TAIL, *(tail_extra or []), *(f'PRAGMA foreign_key_check("{t}")' for t in check)]


EXPECTED.update(
    {
        ("rename_table", LITE): ['ALTER TABLE "users" RENAME TO "people"'],
        ("rename_column", LITE): ['ALTER TABLE "users" RENAME COLUMN "name" TO "full_name"'],
        ("add_table", LITE): [
            'CREATE TABLE "posts" (\n    "id" INTEGER NOT NULL,\n    "user_id" INTEGER NOT NULL,\n'
            '    "body" TEXT DEFAULT \'x\',\n    PRIMARY KEY ("id"),\n    CONSTRAINT "ck_posts_user" CHECK (user_id > 0),\n'  # noqa: E501
            '    CONSTRAINT "fk_posts_user" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE\n)',
            'CREATE INDEX "ix_posts_user" ON "posts" ("user_id")',
        ],
        ("drop_table", LITE): ['DROP TABLE "old"'],
        ("add_column", LITE): ['ALTER TABLE "users" ADD COLUMN "age" INTEGER NOT NULL DEFAULT 0'],
        ("drop_column", LITE): ['ALTER TABLE "users" DROP COLUMN "name"'],
        ("modify_column_type", LITE): _rebuild(
            '    "id" INTEGER NOT NULL,\n    "name" INTEGER,\n    PRIMARY KEY ("id")'
        ),
        ("modify_column_nullable", LITE): _rebuild(
            '    "id" INTEGER NOT NULL,\n    "name" TEXT NOT NULL,\n    PRIMARY KEY ("id")'
        ),
        ("modify_column_default", LITE): _rebuild(
            '    "id" INTEGER NOT NULL,\n    "name" TEXT DEFAULT \'n\',\n    PRIMARY KEY ("id")'
        ),
        # SQLite keeps no comments, so a target's comment is no drift there: nothing to plan
        ("modify_column_comment", LITE): [],
        ("modify_table_comment", LITE): [],
        ("add_primary_key", LITE): _rebuild('    "id" INTEGER NOT NULL,\n    "name" TEXT,\n    PRIMARY KEY ("id")'),
        ("drop_primary_key", LITE): _rebuild('    "id" INTEGER NOT NULL,\n    "name" TEXT'),
        ("modify_primary_key", LITE): _rebuild(
            '    "id" INTEGER NOT NULL,\n    "name" TEXT NOT NULL,\n    PRIMARY KEY ("id", "name")'
        ),
        ("add_unique", LITE): ['CREATE UNIQUE INDEX "uq_users_name" ON "users" ("name")'],
        ("drop_unique", LITE): _rebuild('    "id" INTEGER NOT NULL,\n    "name" TEXT,\n    PRIMARY KEY ("id")'),
        ("add_check", LITE): _rebuild(
            '    "id" INTEGER NOT NULL,\n    "name" TEXT,\n    PRIMARY KEY ("id"),\n'
            '    CONSTRAINT "ck_users_name" CHECK (length(name) > 0)'
        ),
        ("drop_check", LITE): _rebuild('    "id" INTEGER NOT NULL,\n    "name" TEXT,\n    PRIMARY KEY ("id")'),
        ("add_index", LITE): ['CREATE INDEX "ix_users_name_id" ON "users" ("name", "id" DESC)'],
        ("drop_index", LITE): ['DROP INDEX "ix_users_name"'],
        ("modify_index", LITE): [
            'DROP INDEX "ix_users_name"',
            'CREATE UNIQUE INDEX "ix_users_name" ON "users" ("name")',
        ],
    }
)
_KIDS_REBUILD = {
    "add_foreign_key": '    CONSTRAINT "fk_kids_parent" FOREIGN KEY ("parent_id") REFERENCES "users" ("id")',
    "drop_foreign_key": None,
    "modify_foreign_key": '    CONSTRAINT "fk_kids_parent" FOREIGN KEY ("parent_id") REFERENCES "users" ("id") ON DELETE CASCADE',  # noqa: E501
}
for _kind, _fk in _KIDS_REBUILD.items():
    _body = '    "id" INTEGER NOT NULL,\n    "parent_id" INTEGER,\n    PRIMARY KEY ("id")' + (
        f",\n{_fk}" if _fk else ""
    )
    EXPECTED[(_kind, LITE)] = [
        line.replace("users", "kids").replace('"name"', '"parent_id"')
        for line in _rebuild(_body.replace("kids", "users"), check=("kids",))
    ]
    EXPECTED[(_kind, LITE)][0] = f'CREATE TABLE "_schemaudit_new_kids" (\n{_body}\n)'

KINDS = sorted({kind for kind, _ in EXPECTED})


@pytest.mark.parametrize("dialect", [PG, MY, LITE])
@pytest.mark.parametrize("kind", KINDS)
def test_exact_sql_per_change_kind(kind: str, dialect: str) -> None:
    target, current, hints = case(kind, dialect)
    assert plan_sql(dialect, target, current, hints) == EXPECTED[(kind, dialect)]


def test_every_change_kind_is_covered() -> None:
    from schemaudit.plan.dialects.base import _METHOD_NAMES
    from tests.test_pg_partitions import KINDS as PARTITION_KINDS  # PostgreSQL's only

    kinds = {name for name in _METHOD_NAMES.values()}
    covered = {k.removeprefix("modify_column_").removesuffix("_comment") for k in KINDS} | PARTITION_KINDS
    missing = {k for k in kinds if k not in covered and k not in {"modify_column", "modify_table"}}
    assert not missing


def test_sqlite_by_version_rename_and_drop_column() -> None:
    target = sch(LITE, tbl("users", col("id", "INTEGER", LITE, null=False), col("full_name", "TEXT", LITE)))
    current = sch(LITE, users(LITE, col("gone", "TEXT", LITE)))
    hints = Hints.from_mapping({"column": {"users.name": "full_name"}})
    modern = plan_sql(LITE, target, current, hints, sqlite_version=(3, 35, 0))
    assert modern == [
        'ALTER TABLE "users" RENAME COLUMN "name" TO "full_name"',
        'ALTER TABLE "users" DROP COLUMN "gone"',
    ]
    old = plan_sql(LITE, target, current, hints, sqlite_version=(3, 24, 0))
    assert (
        old[0]
        == 'CREATE TABLE "_schemaudit_new_users" (\n    "id" INTEGER NOT NULL,\n    "full_name" TEXT,\n    PRIMARY KEY ("id")\n)'  # noqa: E501
    )
    assert old[1] == (
        'INSERT INTO "_schemaudit_new_users" (rowid, "id", "full_name")\n    SELECT rowid, "id", "name" FROM "users"'
    )
    assert len(old) == 7  # one rebuild renames and drops at once


def test_postgres_identity_serial_and_generated() -> None:
    d = PG
    ident = Identity("always", "t_id_seq", 1, 1)
    target = sch(
        d,
        tbl(
            "t",
            col("id", "integer", d, null=False, identity=ident),
            col("w", "integer", d),
            col("a", "integer", d, generated=Generated("(w * 2)", True)),
        ),
    )
    current = sch(d, tbl("t", col("id", "integer", d, null=False), col("w", "integer", d)))
    assert plan_sql(d, target, current) == [
        'ALTER TABLE "t" ADD COLUMN "a" integer GENERATED ALWAYS AS ((w * 2)) STORED',
        'ALTER TABLE "t" ALTER COLUMN "id" ADD GENERATED ALWAYS AS IDENTITY',
        """SELECT setval(pg_get_serial_sequence('"t"', 'id'), COALESCE(MAX("id"), 0) + 1, false) FROM "t\"""",
    ]
    serial = sch(
        d,
        tbl("t", col("id", "integer", d, null=False, identity=Identity("serial", "t_id_seq")), col("w", "integer", d)),
    )
    assert plan_sql(d, serial, current) == [
        'CREATE SEQUENCE "t_id_seq" AS integer OWNED BY "t"."id"',
        """ALTER TABLE "t" ALTER COLUMN "id" SET DEFAULT nextval('"t_id_seq"'::regclass)""",
        """SELECT setval(pg_get_serial_sequence('"t"', 'id'), COALESCE(MAX("id"), 0) + 1, false) FROM "t\"""",
    ]


def test_postgres_concurrent_index_is_its_own_step_outside_a_transaction() -> None:
    target = sch(PG, users(PG, indexes=(Index("ix_n", (IndexElement("name"),)),)))
    changes = compare(target, sch(PG, users(PG)))
    plan = build(
        changes, target, sch(PG, users(PG)), PlanOptions(PG, concurrent_indexes=True, date=dt.date(2026, 2, 21))
    )
    (step,) = plan.steps
    assert not step.transactional and step.id == "20260221_0001_users_index_concurrently"
    assert step.statements[0].sql == 'CREATE INDEX CONCURRENTLY "ix_n" ON "users" ("name")'
    assert "non_transactional" in {h.code for h in step.hazards}


def test_mysql_combines_a_tables_actions_in_one_statement() -> None:
    d = MY
    target = sch(
        d, users(d, col("a", "int(11)", d), col("b", "int(11)", d), indexes=(Index("ix_a", (IndexElement("a"),)),))
    )
    sql = plan_sql(d, target, sch(d, users(d)))
    assert sql == [
        "ALTER TABLE `users`\n    ADD COLUMN `a` int(11) NULL AFTER `name`,\n    ADD COLUMN `b` int(11) NULL AFTER `a`",
        "ALTER TABLE `users` ADD INDEX `ix_a` (`a`)",
    ]
