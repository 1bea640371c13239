"""A MySQL/MariaDB dump's views, triggers, routines and events are compared when a scratch
server prints them (`--scratch-url`): the dump's DELIMITER blocks, executable comments and
its own database's name are handled as its client would, and the scratch database goes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from schemaudit.audit import audit
from schemaudit.errors import SourceError
from schemaudit.sources import LoadOptions, load
from schemaudit.sources.ddl.mysql_comments import run_executable_comments, server_for
from schemaudit.sources.ddl.split import split_statements
from schemaudit.sources.scratch import scratch_prefix
from tests.conftest import MYSQL_URL, _pymysql_connect, _with_database

DDL = """
SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='TRADITIONAL';
CREATE DATABASE IF NOT EXISTS shop;
USE shop;
CREATE TABLE users (id INT PRIMARY KEY, age INT, name VARCHAR(20));
CREATE VIEW adults AS SELECT id, age FROM shop.users WHERE age >= 18;
DELIMITER ;;
/*!50003 CREATE*/ /*!50003 TRIGGER users_name BEFORE INSERT ON users FOR EACH ROW BEGIN
  # spelled by hand
  SET NEW.name = UPPER(NEW.name);
END */;;
CREATE FUNCTION grown(age INT) RETURNS TINYINT DETERMINISTIC
BEGIN
  RETURN age >= 18; -- the rule
END ;;
DELIMITER ;
SET SQL_MODE=@OLD_SQL_MODE;
"""


def _server_databases() -> set[str]:
    conn = _pymysql_connect(MYSQL_URL, database="")
    try:
        with conn.cursor() as cur:
            cur.execute("SHOW DATABASES")
            return {r[0] for r in cur.fetchall()}
    finally:
        conn.close()


@pytest.mark.mysql
def test_dump_objects_compare_with_the_database_built_from_it(mysql_db: Any, tmp_path: Path) -> None:
    file = tmp_path / "dump.sql"
    file.write_text(DDL, encoding="utf-8")
    dump = run_executable_comments(DDL, server_for("mariadb", None))  # as the client runs them
    built = [
        s.text.replace("shop.", "")
        for s in split_statements(dump, "mysql")
        if not s.text.startswith(("CREATE DATABASE", "USE"))
    ]
    mysql_db.execute(built)
    server = _with_database(MYSQL_URL, "")
    target = load(f"ddl:{file}?dialect=mariadb", LoadOptions(scratch_url=server))
    assert [v.name for v in target.objects.views] == ["adults"]
    assert [(t.name, t.table) for t in target.objects.triggers] == [("users_name", "users")]
    assert [(r.name, r.kind) for r in target.objects.routines] == [("grown", "function")]
    assert "TRADITIONAL" in (target.objects.triggers[0].sql_mode or "")  # the dump's own mode
    assert "shop" not in target.objects.views[0].definition
    assert not any(o.kind in ("view", "trigger", "function") for o in target.not_audited)
    assert not [d for d in _server_databases() if d.startswith(scratch_prefix())]  # dropped
    assert audit(target, load(mysql_db.url)).findings == ()
    mysql_db.execute("DROP TRIGGER users_name")
    assert [f.code for f in audit(target, load(mysql_db.url)).findings] == ["SA201"]


@pytest.mark.mysql
def test_a_statement_the_scratch_server_refuses_is_one_line(tmp_path: Path) -> None:
    file = tmp_path / "dump.sql"
    file.write_text("CREATE TABLE t (id INT PRIMARY KEY);\nCREATE VIEW v AS SELECT nope FROM t;\n", encoding="utf-8")
    with pytest.raises(SourceError, match=r"dump\.sql:2: the scratch server refused it: Unknown column 'nope'"):
        load(f"ddl:{file}?dialect=mariadb", LoadOptions(scratch_url=_with_database(MYSQL_URL, "")))
    assert not [d for d in _server_databases() if d.startswith(scratch_prefix())]
