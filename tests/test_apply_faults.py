"""All or nothing, proven by fault injection: a PostgreSQL event trigger makes the Nth DDL
command of an apply fail, for every N the plan has; after each failure the catalog
(`pg_dump -s`) and the row values are exactly what they were before apply."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from schemaudit.apply.db import ApplyError
from schemaudit.apply.run import ApplyOptions, apply
from schemaudit.audit import Config, audit
from schemaudit.plan import PlanOptions, build
from schemaudit.plan import folder as plan_folder
from schemaudit.sources import LoadOptions, load
from tests.conftest import ScratchDb, _psycopg_url
from tests.convergence import judge
from tests.convergence.harness import read_pair, statements

PAIR = Path(__file__).parent / "golden_plans" / "postgresql" / "seed_migration_plan.pair.sql"
FAULT = """
CREATE SCHEMA fault;
CREATE SEQUENCE fault.counter;
CREATE TABLE fault.at (n integer);
CREATE FUNCTION fault.inject() RETURNS event_trigger LANGUAGE plpgsql AS $$
BEGIN
    IF nextval('fault.counter') >= (SELECT n FROM fault.at) THEN
        RAISE EXCEPTION 'injected fault';
    END IF;
END $$;
CREATE EVENT TRIGGER inject_fault ON ddl_command_end EXECUTE FUNCTION fault.inject();
"""


@pytest.mark.postgresql
def test_a_failure_at_any_step_leaves_the_database_as_it_was(pg_db: ScratchDb, tmp_path: Path) -> None:
    import psycopg

    pair = read_pair(PAIR, "seed")
    pg_db.execute(["CREATE SCHEMA cur", "CREATE SCHEMA want"])
    pg_db.execute(["SET search_path TO cur; " + ";".join(statements(pair.current))])
    pg_db.execute(["SET search_path TO want; " + ";".join(statements(pair.desired))])
    target = load(pg_db.url, LoadOptions(schema="want"))
    current = load(pg_db.url, LoadOptions(schema="cur"))
    result = audit(target, current, Config(hints=pair.hints))
    plan = build(result.changes, result.target, result.current, PlanOptions("postgresql", date=dt.date(2026, 2, 21)))
    plan_folder.write(plan, tmp_path / "plan")
    ddl = sum(len(s.statements) for s in plan.steps)
    assert len(plan.steps) >= 10 and ddl >= 15
    dsn = _psycopg_url(pg_db.url)

    def snapshot() -> tuple[judge.Fingerprint, dict[str, str]]:
        with psycopg.connect(dsn) as conn:
            names = [r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'cur'")]
            rows = {}
            for n in names:
                cur = conn.execute(f'SELECT * FROM cur."{n}"')
                rows[n] = ([d.name for d in cur.description], cur.fetchall())
        return judge.postgresql(dsn, "cur"), judge.checksums(rows, {n: rows[n][0] for n in rows})

    before = snapshot()
    pg_db.execute([FAULT, "INSERT INTO fault.at VALUES (1)"])
    n = 0
    while True:  # fail at DDL command 1, 2, ... until the fault comes after the last one
        n += 1
        assert n <= 4 * ddl, "more DDL commands than the plan's statements can explain"
        pg_db.execute(["SELECT setval('fault.counter', 1, false)", f"UPDATE fault.at SET n = {n}"])
        try:
            done = apply(tmp_path / "plan", pg_db.url, ApplyOptions(schema="cur", check_data=False))
        except ApplyError as exc:
            assert "injected fault" in str(exc) and "the whole plan was rolled back" in str(exc)
            assert snapshot() == before, f"fault at DDL command {n}: the database changed"
            continue
        break
    assert n > ddl  # every statement of the plan was a point of failure once
    assert done.applied and len(done.applied) == len(plan.steps)
