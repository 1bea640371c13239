"""PostgreSQL declarative partitions: exact SQL for each partition change, the rules they
raise, and how bounds compare (a file's spelling and the catalog's are one bound)."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from dataclasses import replace
from pathlib import Path

import pytest

from schemaudit.audit import Config, audit
from schemaudit.diff import compare
from schemaudit.diff.partitions import bound_key
from schemaudit.identifiers import POSTGRESQL_RULES
from schemaudit.model import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    IndexElement,
    Partition,
    PrimaryKey,
    Schema,
    Table,
    TableOptions,
)
from schemaudit.plan import PlanOptions, build
from schemaudit.sources import LoadOptions, load
from schemaudit.types import parse_type
from tests.conftest import ScratchDb

RANGE = TableOptions(partitioned=True, partitioning="PARTITION BY RANGE (d)")
Y2024 = "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')"
Y2025 = "FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')"


def events(*partitions: Partition, options: TableOptions = RANGE, indexes: tuple[Index, ...] = ()) -> Table:
    columns = (Column("id", parse_type("integer", "postgresql"), False), Column("d", parse_type("date", "postgresql")))
    return Table("events", columns, options=options, partitions=partitions, indexes=indexes)


def schema(*tables: Table) -> Schema:
    return Schema(tables, "postgresql", rules=POSTGRESQL_RULES, full_definitions=True)


def plan_sql(target: Schema, current: Schema, allow_drop: bool = True) -> list[str]:
    opts = PlanOptions("postgresql", allow_drop=allow_drop, date=dt.date(2026, 2, 21))
    plan = build(compare(target, current), target, current, opts)
    return [s.sql for step in plan.steps for s in step.statements] + [f"KEPT: {k.reason}" for k in plan.kept]


SUB = Partition(
    "events_2025",
    Y2025,
    "PARTITION BY LIST (region)",
    (Partition("events_2025_eu", "FOR VALUES IN ('eu')"), Partition("events_2025_rest", "DEFAULT")),
)

# (target table, current table or None) -> every statement of the plan, in order
CASES: dict[str, tuple[Table, Table | None, list[str]]] = {
    "add_table": (
        events(Partition("events_2024", Y2024), SUB, indexes=(Index("events_d_idx", (IndexElement("d"),)),)),
        None,
        [
            'CREATE TABLE "events" (\n    "id" integer NOT NULL,\n    "d" date\n) PARTITION BY RANGE (d)',
            f'CREATE TABLE "events_2024" PARTITION OF "events" {Y2024}',
            f'CREATE TABLE "events_2025" PARTITION OF "events" {Y2025} PARTITION BY LIST (region)',
            """CREATE TABLE "events_2025_eu" PARTITION OF "events_2025" FOR VALUES IN ('eu')""",
            'CREATE TABLE "events_2025_rest" PARTITION OF "events_2025" DEFAULT',
            'CREATE INDEX "events_d_idx" ON "events" ("d")',
        ],
    ),
    "add_partition": (
        events(Partition("events_2024", Y2024), Partition("events_2025", Y2025)),
        events(Partition("events_2024", Y2024)),
        [f'CREATE TABLE "events_2025" PARTITION OF "events" {Y2025}'],
    ),
    "drop_partition": (
        events(Partition("events_2024", Y2024)),
        events(Partition("events_2024", Y2024), Partition("events_2025", Y2025)),
        ['DROP TABLE "events_2025"'],
    ),
    # detached first, attached last: the range moving from one partition to the other never overlaps
    "detach_partition attach_partition": (
        events(
            Partition("events_a", "FOR VALUES FROM ('2024-01-01') TO ('2024-07-01')"),
            Partition("events_b", "FOR VALUES FROM ('2024-07-01') TO ('2025-01-01')"),
        ),
        events(
            Partition("events_a", "FOR VALUES FROM ('2024-01-01') TO ('2024-10-01')"),
            Partition("events_b", "FOR VALUES FROM ('2024-10-01') TO ('2025-01-01')"),
        ),
        [
            'ALTER TABLE "events" DETACH PARTITION "events_a"',
            'ALTER TABLE "events" DETACH PARTITION "events_b"',
            """ALTER TABLE "events" ATTACH PARTITION "events_a" FOR VALUES FROM ('2024-01-01') TO ('2024-07-01')""",
            """ALTER TABLE "events" ATTACH PARTITION "events_b" FOR VALUES FROM ('2024-07-01') TO ('2025-01-01')""",
        ],
    ),
    # a partition partitioned anew: its rows set aside, the partition created again, the rows put back
    "modify_partition": (
        events(SUB),
        events(Partition("events_2025", Y2025)),
        [
            'CREATE TEMPORARY TABLE "_schemaudit_rows_events_2025" AS SELECT "id", "d" FROM "events_2025"',
            'DROP TABLE "events_2025"',
            f'CREATE TABLE "events_2025" PARTITION OF "events" {Y2025} PARTITION BY LIST (region)',
            """CREATE TABLE "events_2025_eu" PARTITION OF "events_2025" FOR VALUES IN ('eu')""",
            'CREATE TABLE "events_2025_rest" PARTITION OF "events_2025" DEFAULT',
            'INSERT INTO "events_2025" ("id", "d") SELECT "id", "d" FROM "_schemaudit_rows_events_2025"',
            'DROP TABLE "_schemaudit_rows_events_2025"',
        ],
    ),
}
KINDS = {kind for name in CASES for kind in name.split()}


@pytest.mark.parametrize("name", sorted(CASES))
def test_exact_sql_per_partition_change(name: str) -> None:
    target, current, expected = CASES[name]
    assert plan_sql(schema(target), schema(current) if current else schema()) == expected


def test_a_partition_is_dropped_only_with_allow_drop() -> None:
    target, current, _ = CASES["drop_partition"]
    assert plan_sql(schema(target), schema(current), allow_drop=False) == [
        "KEPT: not dropped without --allow-drop (its rows go with it); kept as it is"
    ]


def test_rules_for_missing_extra_and_moved_partitions() -> None:
    target = events(Partition("events_2024", "FOR VALUES FROM ('2024-01-01') TO ('2024-07-01')"), SUB)
    current = events(
        Partition("events_2024", Y2024), Partition("events_old", "FOR VALUES FROM (MINVALUE) TO ('2000-01-01')")
    )
    codes = sorted(f.code for f in audit(schema(target), schema(current), Config()).findings)
    assert codes == ["SA185", "SA187", "SA188"]  # missing (no default), extra, bound
    with_default = events(Partition("events_2024", Y2024), Partition("events_rest", "DEFAULT"))
    codes = sorted(
        f.code
        for f in audit(
            schema(events(Partition("events_2024", Y2024), SUB, Partition("events_rest", "DEFAULT"))),
            schema(with_default),
            Config(),
        ).findings
    )
    assert codes == ["SA186"]  # the default partition takes the missing partition's rows


def test_key_change_is_its_own_finding() -> None:
    listed = TableOptions(partitioned=True, partitioning="PARTITION BY LIST (d)")
    findings = audit(schema(events(options=listed)), schema(events()), Config()).findings
    assert [f.code for f in findings] == ["SA109"]
    assert "PARTITION BY RANGE (d), target PARTITION BY LIST (d)" in findings[0].message


def test_models_say_nothing_of_partitions() -> None:
    """A target that cannot state partitions (models) leaves the current ones alone."""
    target = Schema((events(),), "postgresql", rules=POSTGRESQL_RULES)
    assert not compare(target, schema(events(Partition("events_2024", Y2024)))).actionable


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (
            "for values from ('2024-01-01') to ('2025-01-01')",
            "FOR VALUES FROM ('2024-01-01 00:00:00') TO ('2025-01-01 00:00:00')",
        ),
        # a dump written at UTC+1 and a catalog read at UTC: one instant
        (
            "FOR VALUES FROM ('2022-04-01 01:00:00+01') TO (MAXVALUE)",
            "FOR VALUES FROM ('2022-04-01 00:00:00+00') TO (MAXVALUE)",
        ),
        ("FOR VALUES FROM ('2024-01-01'::date) TO ('2025-01-01'::date)", Y2024),
        ("FOR VALUES IN ('b', 'a')", "for values in ('a','b')"),
        ("FOR VALUES WITH (MODULUS 4, REMAINDER 1)", "FOR VALUES WITH (modulus 4, remainder 1)"),
    ],
)
def test_bounds_compare_by_meaning(a: str, b: str) -> None:
    assert bound_key(a) == bound_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (Y2024, Y2025),
        ("FOR VALUES IN ('a')", "FOR VALUES IN ('A')"),
        (
            "FOR VALUES FROM ('2022-04-01 01:00:00+01') TO (MAXVALUE)",
            "FOR VALUES FROM ('2022-04-01 01:00:00+00') TO (MAXVALUE)",
        ),
        ("DEFAULT", "FOR VALUES IN (NULL)"),
    ],
)
def test_different_bounds_differ(a: str, b: str) -> None:
    assert bound_key(a) != bound_key(b)


@pytest.mark.postgresql
def test_models_partition_key_against_the_database(pg_db: ScratchDb, tmp_path: Path) -> None:
    """`postgresql_partition_by` is the key; the database's partitions are not drift, since
    models cannot state them; another key is SA109."""
    pkg = f"parted_{uuid.uuid4().hex[:8]}"
    (tmp_path / f"{pkg}.py").write_text(
        "from sqlalchemy import Column, Date, Integer, MetaData, Table\n"
        "metadata = MetaData()\n"
        "Table('events', metadata, Column('id', Integer, nullable=False), Column('d', Date),\n"
        "      postgresql_partition_by='RANGE (d)')\n"
    )
    pg_db.execute(
        [
            "CREATE TABLE events (id integer NOT NULL, d date) PARTITION BY RANGE (d)",
            f"CREATE TABLE events_2024 PARTITION OF events {Y2024}",
        ]
    )
    models = load(f"models:{pkg}:metadata", LoadOptions(path=(str(tmp_path),), dialect="postgresql"))
    table = models.table("events")
    assert table is not None and table.options.partitioning == "PARTITION BY RANGE (d)" and not table.partitions
    assert not audit(models, load(pg_db.url), Config()).findings
    pg_db.execute(["DROP TABLE events", "CREATE TABLE events (id integer NOT NULL, d date) PARTITION BY LIST (d)"])
    assert [f.code for f in audit(models, load(pg_db.url), Config()).findings] == ["SA109"]


PARTITIONED_DB = [
    "CREATE TABLE ev (id bigint NOT NULL, at timestamptz NOT NULL, region text NOT NULL,"
    " PRIMARY KEY (id, at, region)) PARTITION BY RANGE (at)",
    "CREATE TABLE ev_2024 PARTITION OF ev FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
    "CREATE TABLE ev_2025 PARTITION OF ev FOR VALUES FROM ('2025-01-01') TO ('2026-01-01') PARTITION BY LIST (region)",
    "CREATE TABLE ev_2025_eu PARTITION OF ev_2025 FOR VALUES IN ('eu', 'uk', NULL)",
    "CREATE TABLE ev_2025_rest PARTITION OF ev_2025 DEFAULT",
    "CREATE TABLE ev_old PARTITION OF ev FOR VALUES FROM (MINVALUE) TO ('2024-01-01')",
    "CREATE INDEX ev_region_idx ON ev (region)",
    "CREATE INDEX ev_2024_local ON ev_2024 (id)",  # a partition's own index, key and checks:
    "CREATE TABLE who (id bigint PRIMARY KEY)",
    "ALTER TABLE ev_2024 ADD CONSTRAINT ev_2024_who FOREIGN KEY (id) REFERENCES who",
    "ALTER TABLE ev_2025_eu ADD CONSTRAINT ev_2025_eu_small CHECK (id < 1000000)",
    "ALTER TABLE ev ADD CONSTRAINT ev_positive CHECK (id > 0)",  # its table's, on every partition
    "CREATE TABLE h (id int PRIMARY KEY) PARTITION BY HASH (id)",
    "CREATE TABLE h0 PARTITION OF h FOR VALUES WITH (MODULUS 2, REMAINDER 0)",
    "CREATE TABLE h1 PARTITION OF h FOR VALUES WITH (MODULUS 2, REMAINDER 1)",
    "CREATE TABLE ref (id int PRIMARY KEY, ev_id bigint, ev_at timestamptz, ev_region text,"
    " FOREIGN KEY (ev_id, ev_at, ev_region) REFERENCES ev)",
]


@pytest.mark.postgresql
def test_pg_dump_of_partitions_reads_as_the_database(pg_db: ScratchDb, tmp_path: Path) -> None:
    """pg_dump writes partitions as plain CREATE TABLEs, then `ALTER TABLE ONLY ... ATTACH
    PARTITION` and `ALTER INDEX ... ATTACH PARTITION`: as a ddl: source, no finding against
    the database it was dumped from (bounds in the dump's time zone included), nor the
    database against itself."""
    import subprocess

    from schemaudit.cli import main
    from tests.conftest import _psycopg_url

    pg_db.execute(PARTITIONED_DB)
    dump = tmp_path / "dump.sql"
    dump.write_text(
        subprocess.run(
            ["pg_dump", "--schema-only", _psycopg_url(pg_db.url)],
            check=True,
            capture_output=True,
            text=True,
            env={**os.environ, "PGTZ": "Asia/Kolkata"},  # bounds written at +05:30, read at the server's zone
        ).stdout
    )
    assert "'2024-01-01 05:30:00+05:30'" in dump.read_text()
    live, ddl = load(pg_db.url), load(f"ddl:{dump}")
    ev = ddl.table("ev")
    assert ev is not None and [p.name for p in ev.partitions] == ["ev_2024", "ev_2025", "ev_old"]
    assert [p.name for p in ev.partitions[1].partitions] == ["ev_2025_eu", "ev_2025_rest"]
    assert [o for o in live.not_audited if o.kind.startswith("partition")] == [
        o for o in ddl.not_audited if o.kind.startswith("partition")
    ]

    def own(schema: Schema) -> list[tuple[str, list[str | None], list[str | None], list[str | None]]]:
        table = schema.table("ev")
        assert table is not None
        found, todo = [], list(table.partitions)
        while todo:
            p = todo.pop(0)
            todo.extend(p.partitions)
            found.append(
                (p.name, [i.name for i in p.indexes], [f.name for f in p.foreign_keys], [c.name for c in p.checks])
            )
        return found

    assert own(live) == own(ddl)
    assert ("ev_2024", ["ev_2024_local"], ["ev_2024_who"], []) in own(live)
    assert ("ev_2025_eu", [], [], ["ev_2025_eu_small"]) in own(live)
    assert sum(len(checks) for *_, checks in own(live)) == 1  # ev_positive is ev's, not each partition's
    assert main(["audit", "--target", f"ddl:{dump}", "--current", pg_db.url, "--fail-on", "info"]) == 0
    assert main(["audit", "--target", pg_db.url, "--current", pg_db.url, "--fail-on", "info"]) == 0


def test_a_partitions_own_index_key_and_check_are_compared_and_planned() -> None:
    """Findings name the partition as they name a table; the plan makes them after the
    partition exists; an extra own index is dropped only with --allow-drop."""
    own = Partition(
        "events_2024",
        Y2024,
        indexes=(Index("events_2024_id_idx", (IndexElement("id"),)),),
        foreign_keys=(ForeignKey(("id",), "people", ("id",), name="events_2024_id_fkey"),),
        checks=(CheckConstraint("id > 0", "events_2024_id_check"),),
    )
    people = Table("people", (Column("id", parse_type("integer", "postgresql"), False),), PrimaryKey(("id",)))
    bare = replace(own, indexes=(), foreign_keys=(), checks=())
    target, current = schema(events(own), people), schema(events(bare), people)
    findings = audit(target, current, Config()).findings
    assert sorted(f.code for f in findings) == ["SA141", "SA161", "SA171"], [f.message for f in findings]
    assert all("events_2024" in f.message for f in findings)
    added = [
        'ALTER TABLE "events_2024" ADD CONSTRAINT "events_2024_id_check" CHECK (id > 0) NOT VALID',
        'CREATE INDEX "events_2024_id_idx" ON "events_2024" ("id")',
        'ALTER TABLE "events_2024" ADD CONSTRAINT "events_2024_id_fkey" FOREIGN KEY ("id") REFERENCES "people" ("id")',
        'ALTER TABLE "events_2024" VALIDATE CONSTRAINT "events_2024_id_check"',
    ]
    assert plan_sql(target, current) == added
    created = plan_sql(target, schema())  # from empty: after the partition and the table it references
    assert created[-4:] == added
    assert f'CREATE TABLE "events_2024" PARTITION OF "events" {Y2024}' in created[:-4]
    extra_index = schema(events(replace(bare, indexes=own.indexes)), people)
    assert plan_sql(current, extra_index, allow_drop=False) == [
        "KEPT: an extra index, safe to keep: not dropped without --allow-drop"
    ]
    assert plan_sql(current, extra_index) == ['DROP INDEX "events_2024_id_idx"']


@pytest.mark.postgresql
def test_a_partition_of_another_schemas_table_keeps_its_own_keys_listed(pg_db: ScratchDb) -> None:
    """Read into no `Partition` of this schema, its own index and key stay listed, not dropped."""
    pg_db.execute(
        [
            "CREATE SCHEMA other",
            "CREATE TABLE people (id integer PRIMARY KEY)",
            "CREATE TABLE other.ev (id integer NOT NULL, d date NOT NULL) PARTITION BY RANGE (d)",
            f"CREATE TABLE ev_2024 PARTITION OF other.ev {Y2024}",
            "CREATE INDEX ev_2024_id ON ev_2024 (id)",
            "ALTER TABLE ev_2024 ADD CONSTRAINT ev_2024_people FOREIGN KEY (id) REFERENCES people",
        ]
    )
    listed = [(o.kind, o.name, o.table) for o in load(pg_db.url).not_audited if o.kind.startswith("partition")]
    assert listed == [
        ("partition", "ev_2024", "ev"),
        ("partition constraint", "ev_2024_people", "ev_2024"),
        ("partition index", "ev_2024_id", "ev_2024"),
    ]


def test_a_partition_of_a_table_the_file_never_defines_is_refused_as_the_server_refuses_it(tmp_path: Path) -> None:
    from schemaudit.errors import SourceError

    path = tmp_path / "bad.sql"
    path.write_text(
        "CREATE TABLE m (id int, at date) PARTITION BY RANGE (at);\n"
        "CREATE TABLE m_2024 PARTITION OF nope FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');\n"
    )
    with pytest.raises(SourceError, match=r"bad\.sql:2: .*table 'nope' is not defined earlier in the file"):
        load(f"ddl:{path}?dialect=postgresql", LoadOptions())
