"""MySQL/MariaDB dumps as real projects publish them (issue 15 items 14, 16, 19): executable
comments run by server version as the server runs them, BOOLEAN and TRUE as the catalog
stores them, ON UPDATE CURRENT_TIMESTAMP compared, findings worded in SQL, not reprs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from schemaudit.diff import compare
from schemaudit.sources import load
from schemaudit.sources.ddl.mysql_comments import run_executable_comments, server_for
from tests.conftest import ScratchDb
from tests.test_cli import run

# The shapes of sakila-mv-schema.sql and employees.sql (datacharmer/test_db).
DUMP = """
SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0;
/*!50503 set default_storage_engine = InnoDB */;
/*!50503 select CONCAT('storage engine: ', @@default_storage_engine) as INFO */;
CREATE TABLE address (
  address_id SMALLINT UNSIGNED NOT NULL AUTO_INCREMENT,
  address VARCHAR(50) NOT NULL,
  /*!50705 location GEOMETRY NOT NULL,*/
  active BOOLEAN NOT NULL DEFAULT TRUE,
  last_update TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY  (address_id)
  /*!50705 , SPATIAL KEY `idx_location` (location)*/
)ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
CREATE TABLE film_text (
  film_id SMALLINT NOT NULL,
  title VARCHAR(255) NOT NULL,
  PRIMARY KEY  (film_id),
  FULLTEXT KEY idx_title (title)
)ENGINE=MyISAM DEFAULT CHARSET=utf8mb4;
/*!50610 ALTER TABLE film_text engine=InnoDB */;
/*M!100100 ALTER TABLE address COMMENT 'MariaDB only' */;
flush /*!50503 binary */ logs;
"""


def _file(tmp_path: Path) -> Path:
    path = tmp_path / "dump.sql"
    path.write_text(DUMP)
    return path


@pytest.mark.mysql
def test_executable_comments_run_as_the_server_runs_them(mysql_db: ScratchDb, tmp_path: Path) -> None:
    mysql_db.execute([s for s in DUMP.split(";\n") if s.strip() and not s.strip().startswith("flush")])
    live = load(mysql_db.url)
    address, film_text = live.table("address"), live.table("film_text")
    assert address is not None and film_text is not None
    maria = address.column("location") is None  # MariaDB skips MySQL 5.7+ comments
    flavor = "mariadb" if maria else "mysql"
    ddl = load(f"ddl:{_file(tmp_path)}?dialect={flavor}")
    assert [c.describe() for c in compare(ddl, live)] == []
    assert ddl.table("film_text").options.engine == "InnoDB"  # type: ignore[union-attr]
    # the same file read for the other server is a real difference, found
    other = load(f"ddl:{_file(tmp_path)}?dialect={'mysql' if maria else 'mariadb'}")
    assert any("location" in c.describe() for c in compare(other, live))
    result = run("audit", "--target", f"ddl:{_file(tmp_path)}?dialect={flavor}", "--current", mysql_db.url,
                 "--fail-on", "info", "--format", "json")  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout)["findings"] == []


def _ran(text: str, flavor: str, version: str | None) -> list[str]:
    """The words a server reads as SQL: what is left outside comments and strings."""
    out = run_executable_comments(text, server_for(flavor, version))
    return re.sub(r"/\*.*?\*/|'[^']*'", " ", out).split()


def test_server_rules_for_versioned_comments() -> None:
    text = "/*!50610 A */ /*!50705 B */ /*!80000 C */ /*!100500 D */ /*M!100100 E */ /*! F */ '/*!1 G */'"
    assert _ran(text, "mysql", "8.0.36") == ["A", "B", "C", "F"]
    assert _ran(text, "mysql", None) == ["A", "B", "C", "F"]
    assert _ran(text, "mariadb", "10.11") == ["A", "D", "E", "F"]  # MariaDB skips MySQL 5.7+ comments
    assert _ran(text, "mariadb", "10.4") == ["A", "E", "F"]
    assert _ran(text, "mysql", "5.6.40") == ["A", "F"]
    assert "'/*!1 G */'" in run_executable_comments(text, server_for("mysql", None))  # a string stays one
    # lines are kept: the markers become spaces
    assert run_executable_comments("/*!50610 X\n*/;", server_for("mysql", None)) == "         X\n  ;"


@pytest.mark.mysql
def test_on_update_current_timestamp_is_compared(mysql_db: ScratchDb, tmp_path: Path) -> None:
    mysql_db.execute(
        [
            "CREATE TABLE posts (id INT PRIMARY KEY, body TEXT,"
            " updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)",
        ]
    )
    target = tmp_path / "schema.sql"
    target.write_text(
        "CREATE TABLE `posts` (`id` INT PRIMARY KEY, `body` TEXT,"
        " `updated_at` TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP);"
    )
    result = run("audit", "--target", f"ddl:{target}?dialect=mysql", "--current", mysql_db.url, "--format", "json",
                 "--fail-on", "warning")  # fmt: skip
    assert result.returncode == 1, result.stderr
    (finding,) = json.loads(result.stdout)["findings"]
    assert finding["code"] == "SA130" and finding["table"] == "posts" and finding["column"] == "updated_at"
    assert "ON UPDATE CURRENT_TIMESTAMP" in finding["message"]
    # the plan restates the column with it, and the database then matches
    plan = tmp_path / "plan"
    assert run("plan", "--target", f"ddl:{target}?dialect=mysql", "--current", mysql_db.url,
               "-o", str(plan)).returncode == 0  # fmt: skip
    applied = run("apply", "--plan", str(plan), "--db", mysql_db.url)
    assert applied.returncode == 0, applied.stdout + applied.stderr
    ddl = load(f"ddl:{target}?dialect=mysql")
    assert [c.describe() for c in compare(ddl, load(mysql_db.url)) if "migrations" not in c.describe()] == []


@pytest.mark.mysql
def test_findings_speak_sql_not_python(mysql_db: ScratchDb, tmp_path: Path) -> None:
    mysql_db.execute("CREATE TABLE film_text (film_id SMALLINT PRIMARY KEY) ENGINE=InnoDB")
    target = tmp_path / "schema.sql"
    target.write_text("CREATE TABLE `film_text` (`film_id` SMALLINT PRIMARY KEY) ENGINE=MyISAM;")
    result = run("audit", "--target", f"ddl:{target}?dialect=mysql", "--current", mysql_db.url, "--format", "json")
    (finding,) = json.loads(result.stdout)["findings"]
    assert finding["message"] == "Table film_text options are ENGINE=InnoDB, target ENGINE=MyISAM."
    assert "TableOptions" not in result.stdout


@pytest.mark.mysql
def test_text_and_blob_sizes_differ(mysql_db: ScratchDb, tmp_path: Path) -> None:
    """TEXT holds 64 KB, MEDIUMTEXT 16 MB: a 100 KB insert fails on the first (issue 15 item 15)."""
    mysql_db.execute("CREATE TABLE notes (id INT PRIMARY KEY, body TEXT, data MEDIUMBLOB, memo LONGTEXT)")
    target = tmp_path / "schema.sql"
    target.write_text(
        "CREATE TABLE `notes` (`id` INT PRIMARY KEY, `body` MEDIUMTEXT, `data` MEDIUMBLOB, `memo` TINYTEXT);"
    )
    result = run("audit", "--target", f"ddl:{target}?dialect=mysql", "--current", mysql_db.url, "--format", "json",
                 "--fail-on", "info")  # fmt: skip
    found = {(f["code"], f["column"]): f["message"] for f in json.loads(result.stdout)["findings"]}
    assert set(found) == {("SA122", "body"), ("SA123", "memo")}, found
    assert "is text, target MEDIUMTEXT: the current type rejects values" in found[("SA122", "body")]
    with pytest.raises(Exception, match="too long"):
        mysql_db.execute("INSERT INTO notes (id, body) VALUES (1, REPEAT('x', 100000))")
    same = tmp_path / "same.sql"
    same.write_text("CREATE TABLE `notes` (`id` INT PRIMARY KEY, `body` TEXT, `data` MEDIUMBLOB, `memo` LONGTEXT);")
    assert run("audit", "--target", f"ddl:{same}?dialect=mysql", "--current", mysql_db.url,
               "--fail-on", "info").returncode == 0  # fmt: skip


MODELS = """
import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Parent(Base):
    __tablename__ = "parent"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)


class Named(Base):
    __tablename__ = "named"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("parent.id", name="fk_named_parent"))


class Unnamed(Base):
    __tablename__ = "unnamed"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("parent.id"))
    other_id: Mapped[int | None] = mapped_column(sa.ForeignKey("parent.id"))
"""


@pytest.mark.mysql
def test_innodb_foreign_key_indexes_are_not_extra(mysql_db: ScratchDb, tmp_path: Path) -> None:
    """InnoDB indexes every foreign key no index starts with; `create_all` gets the same
    indexes, so against the models they are no finding (issue 15 item 18). An index the
    user made stays visible."""
    (tmp_path / "fkmodels.py").write_text(MODELS)
    mysql_db.execute(
        [
            "CREATE TABLE parent (id INT PRIMARY KEY)",
            "CREATE TABLE named (id INT PRIMARY KEY, parent_id INT,"
            " CONSTRAINT fk_named_parent FOREIGN KEY (parent_id) REFERENCES parent (id))",
            "CREATE TABLE unnamed (id INT PRIMARY KEY, parent_id INT, other_id INT, KEY mine (other_id),"
            " FOREIGN KEY (parent_id) REFERENCES parent (id), FOREIGN KEY (other_id) REFERENCES parent (id))",
        ]
    )
    live = load(mysql_db.url)
    assert {i.name for t in live.tables for i in t.indexes} == {"fk_named_parent", "parent_id", "mine"}
    result = run("audit", "--target", "models:fkmodels:Base", "--path", str(tmp_path), "--current", mysql_db.url,
                 "--format", "json", "--fail-on", "info")  # fmt: skip
    findings = json.loads(result.stdout)["findings"]
    assert [(f["code"], f["table"], f["column"]) for f in findings] == [("SA174", "unnamed", "other_id")], findings


def test_source_lines_and_partitioning_in_comments(tmp_path: Path) -> None:
    """employees.sql: `source load_x.dump ;` runs the file beside it, as the client does (a
    missing one is an unreadable statement); `/*!50510 ALTER TABLE t PARTITION BY ... */`
    partitions the table."""
    (tmp_path / "load_dept.dump").write_text("INSERT INTO `dept` VALUES ('d001','Marketing');\n")
    (tmp_path / "schema.sql").write_text(
        "CREATE TABLE dept (no CHAR(4) PRIMARY KEY, name VARCHAR(40));\n"
        "CREATE TABLE sal (no INT, from_date DATE, PRIMARY KEY (no, from_date));\n"
        "/*!50510\nALTER TABLE sal\npartition by range COLUMNS (from_date)\n"
        "(partition p01 values less than ('1985-12-31'), partition p02 values less than (MAXVALUE))\n*/;\n"
        "source load_dept.dump ;\nsource load_missing.dump ;\n"
    )
    spec = f"ddl:{tmp_path / 'schema.sql'}?dialect=mariadb"
    result = run("inspect", spec)
    assert result.returncode == 2 and "load_missing.dump" in result.stderr and "No such file" in result.stderr
    schema = load(spec + "&lenient=1")
    assert schema.table("sal").options.partitioned  # type: ignore[union-attr]
    assert [o.name.split(": ", 1)[1] for o in schema.not_audited if o.kind == "unreadable statement"] == [
        "source load_missing.dump (No such file or directory)"
    ]
