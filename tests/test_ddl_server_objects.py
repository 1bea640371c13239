"""A PostgreSQL DDL file's views, routines and triggers are compared when a scratch server
prints them (`--scratch-url`), and listed as not audited when none is given."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import psycopg

from schemaudit.audit import audit
from schemaudit.sources import LoadOptions, load
from schemaudit.sources.ddl.split import split_statements
from schemaudit.sources.scratch import scratch_prefix
from tests.conftest import PG_URL

DDL = """
CREATE TABLE users (id integer PRIMARY KEY, age integer, touched timestamptz);
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.touched := now();  -- spelled by hand
    RETURN NEW;
END $$;
CREATE TRIGGER users_touch BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION touch();
CREATE VIEW adults AS SELECT id, age FROM users WHERE age >= 18;
CREATE SEQUENCE tickets START 100;
"""


def _server_databases() -> set[str]:
    with psycopg.connect(PG_URL.rsplit("/", 1)[0] + "/postgres") as conn:
        return {r[0] for r in conn.execute("SELECT datname FROM pg_database")}


def test_file_objects_compare_with_the_database_built_from_it(pg_db: Any, tmp_path: Path) -> None:
    file = tmp_path / "schema.sql"
    file.write_text(DDL, encoding="utf-8")
    pg_db.execute([s.text for s in split_statements(DDL, "postgresql")])
    server = PG_URL.rsplit("/", 1)[0] + "/postgres"
    target = load(f"ddl:{file}?dialect=postgresql", LoadOptions(scratch_url=server))
    assert [v.name for v in target.objects.views] == ["adults"]
    assert [t.name for t in target.objects.triggers] == ["users_touch"]
    assert not any(o.kind in ("view", "trigger", "function") for o in target.not_audited)
    assert not [d for d in _server_databases() if d.startswith(scratch_prefix())]  # dropped
    current = load(pg_db.url)
    assert audit(target, current).findings == ()
    with psycopg.connect(pg_db.url, autocommit=True) as conn:
        conn.execute("DROP TRIGGER users_touch ON users")
    assert [f.code for f in audit(target, load(pg_db.url)).findings] == ["SA201"]


def test_without_a_server_the_file_objects_are_listed_not_compared(pg_db: Any, tmp_path: Path) -> None:
    file = tmp_path / "schema.sql"
    file.write_text(DDL, encoding="utf-8")
    target = load(f"ddl:{file}?dialect=postgresql")
    # the function, trigger and sequence are read from the text; the view only a server prints
    assert target.objects.textual == ("extension", "enum", "sequence", "routine", "trigger")
    assert [r.name for r in target.objects.routines] == ["touch()"]
    assert [o.kind for o in target.not_audited] == ["view"]
