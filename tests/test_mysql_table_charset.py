"""A MySQL/MariaDB table's default character set and collation: read from DDL (with `utf8`
spelled `utf8mb3`, as the server does) and from the catalog, compared only where both sides
state it, created and changed by plans, and judged by the catalog after apply."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from schemaudit.sources import load
from tests.conftest import MYSQL_URL, ScratchDb, _pymysql_connect
from tests.test_cli import run

DDL = """
CREATE TABLE a (id INT PRIMARY KEY) ENGINE=InnoDB DEFAULT CHARSET=utf8;
CREATE TABLE b (id INT PRIMARY KEY) COLLATE=utf8_bin;
CREATE TABLE c (id INT PRIMARY KEY) DEFAULT CHARACTER SET = latin1 DEFAULT COLLATE latin1_bin;
CREATE TABLE d (id INT PRIMARY KEY) CHARSET=latin1;
ALTER TABLE d DEFAULT CHARSET=utf8mb4;
CREATE TABLE e (id INT PRIMARY KEY);
"""


def test_ddl_states_the_table_charset(tmp_path: Path) -> None:
    path = tmp_path / "schema.sql"
    path.write_text(DDL)
    schema = load(f"ddl:{path}?dialect=mysql")
    found = {t.name: (t.options.charset, t.options.collation) for t in schema.tables}
    assert found == {
        "a": ("utf8mb3", None),
        "b": ("utf8mb3", "utf8mb3_bin"),
        "c": ("latin1", "latin1_bin"),
        "d": ("utf8mb4", None),  # a new charset without a collation takes that charset's default
        "e": (None, None),
    }


def _table_collation(db: ScratchDb, table: str) -> str:
    conn = _pymysql_connect(MYSQL_URL, database="")
    try:
        with conn.cursor() as cur:
            cur.execute(
                "SELECT TABLE_COLLATION FROM information_schema.TABLES WHERE TABLE_SCHEMA = %s AND TABLE_NAME = %s",
                (db.name, table),
            )
            return str(cur.fetchone()[0])
    finally:
        conn.close()


@pytest.mark.mysql
def test_a_charset_change_is_planned_and_applied(mysql_db: ScratchDb, tmp_path: Path) -> None:
    """The target says latin1 where the database has its default: one finding, one
    `ALTER TABLE ... DEFAULT CHARACTER SET`, and the catalog then agrees."""
    mysql_db.execute("CREATE TABLE notes (id INT PRIMARY KEY, body VARCHAR(20))")
    before = _table_collation(mysql_db, "notes")
    target = tmp_path / "schema.sql"
    target.write_text("CREATE TABLE notes (id INT PRIMARY KEY, body VARCHAR(20)) DEFAULT CHARSET=latin1;")
    done = run("audit", "--target", f"ddl:{target}?dialect=mysql", "--current", mysql_db.url, "--format", "json")
    (finding,) = json.loads(done.stdout)["findings"]
    charset = before.split("_", 1)[0]
    assert finding["message"] == (
        f"Table notes options are ENGINE=InnoDB, DEFAULT CHARSET={charset}, target DEFAULT CHARSET=latin1."
    )
    plan = tmp_path / "plan"
    done = run("plan", "--target", f"ddl:{target}?dialect=mysql", "--current", mysql_db.url, "-o", str(plan))
    assert done.returncode == 0, done.stderr
    text = "\n".join(p.read_text() for p in sorted(plan.rglob("*.sql")))
    assert "ALTER TABLE `notes` DEFAULT CHARACTER SET latin1;" in text, text
    done = run("apply", "--plan", str(plan), "--db", mysql_db.url, "--no-backup")
    assert done.returncode == 0, done.stderr
    assert _table_collation(mysql_db, "notes") == "latin1_swedish_ci"
    # the existing column keeps its charset (the statement converts nothing): stated on it now
    column = next(c for c in load(mysql_db.url).tables[0].columns if c.name == "body")
    assert column.collation == before
    done = run("plan", "--target", f"ddl:{target}?dialect=mysql", "--current", mysql_db.url, "--check")
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.mysql
def test_a_target_that_states_no_charset_is_no_finding(mysql_db: ScratchDb, tmp_path: Path) -> None:
    mysql_db.execute("CREATE TABLE notes (id INT PRIMARY KEY) DEFAULT CHARSET=latin1")
    target = tmp_path / "schema.sql"
    target.write_text("CREATE TABLE notes (id INT PRIMARY KEY);")
    done = run("audit", "--target", f"ddl:{target}?dialect=mysql", "--current", mysql_db.url, "--format", "json")
    assert json.loads(done.stdout)["findings"] == []
