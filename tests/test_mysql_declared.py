"""MySQL/MariaDB facts information_schema leaves out or misreports (issue 16 item 13): key
options as declared (`USING BTREE`, `KEY_BLOCK_SIZE`), key comments, spatial keys, and
partitioning written back as the clause that builds it; read alike from a DDL file and
from the database built from it."""

from __future__ import annotations

from pathlib import Path

import pytest

from schemaudit.diff import compare
from schemaudit.sources import load
from schemaudit.sources.live.mysql_declared import declared_options
from schemaudit.sources.live.mysql_partitions import partition_clause
from tests.conftest import ScratchDb, _pymysql_connect
from tests.test_cli import run

KEYS = """CREATE TABLE `k` (
  `id` INT NOT NULL,
  `a` INT,
  `b` VARCHAR(20),
  `g` POINT NOT NULL,
  `area` POLYGON NULL,
  PRIMARY KEY (`id`) USING BTREE COMMENT 'the key',
  UNIQUE KEY `ub` (`b`) COMMENT 'one per b',
  UNIQUE KEY `ua` (`a`, `b`) USING BTREE,
  KEY `ia` (`a`) USING HASH KEY_BLOCK_SIZE=8,
  KEY `ib` (`b`) USING BTREE,
  KEY `ic` (`a`) COMMENT 'it''s (a) USING HASH',
  SPATIAL KEY `sg` (`g`)
) ENGINE=InnoDB COMMENT='keys';
CREATE INDEX `ie` ON `k` (`b`, `a`) USING HASH COMMENT 'by b';
CREATE TABLE `p` (`id` INT NOT NULL, `d` DATE NOT NULL, PRIMARY KEY (`id`, `d`))
  PARTITION BY RANGE (YEAR(`d`)) (PARTITION `p0` VALUES LESS THAN (2020), PARTITION `p1` VALUES LESS THAN MAXVALUE);
"""


def test_declared_options_from_show_create_table() -> None:
    create = (
        "CREATE TABLE `t` (\n  `id` int(11) NOT NULL,\n  PRIMARY KEY (`id`) USING BTREE COMMENT 'k',\n"
        "  UNIQUE KEY `u``q` (`a`(10),`b`) KEY_BLOCK_SIZE=4,\n  KEY `c` (`a`) COMMENT 'USING HASH',\n"
        "  KEY `d` ((`a` + 1)) USING HASH KEY_BLOCK_SIZE=8\n) ENGINE=InnoDB"
    )
    assert declared_options(create) == {
        "PRIMARY": ("USING BTREE",),
        "u`q": ("KEY_BLOCK_SIZE=4",),
        "d": ("USING HASH", "KEY_BLOCK_SIZE=8"),
    }


def test_partition_clause_from_partitions_rows() -> None:
    def rows(method: str, expr: str, parts: list[tuple[str, str | None]], sub: str | None = None) -> list[tuple]:
        out = []
        for i, (name, values) in enumerate(parts, start=1):
            for j in range(1, 3 if sub else 2):
                out.append(("t", name, f"{name}sp{j}" if sub else None, i, j if sub else None, method,
                            sub, expr, "to_days(`d`)" if sub else None, values))  # fmt: skip
        return out

    assert (
        partition_clause(rows("HASH", "`id`", [("p0", None), ("p1", None)])) == "PARTITION BY HASH (`id`) PARTITIONS 2"
    )
    assert partition_clause(rows("RANGE COLUMNS", "`d`", [("a", "'2001-01-01'"), ("b", "MAXVALUE")])) == (
        "PARTITION BY RANGE COLUMNS(`d`) (PARTITION `a` VALUES LESS THAN ('2001-01-01'), "
        "PARTITION `b` VALUES LESS THAN (MAXVALUE))"
    )
    assert partition_clause(rows("RANGE", "year(`d`)", [("a", "2000"), ("b", "MAXVALUE")], "HASH")) == (
        "PARTITION BY RANGE (year(`d`)) SUBPARTITION BY HASH (to_days(`d`)) SUBPARTITIONS 2 "
        "(PARTITION `a` VALUES LESS THAN (2000), PARTITION `b` VALUES LESS THAN MAXVALUE)"
    )
    assert (
        partition_clause(rows("LIST", "`id`", [("x", "1,2")]))
        == "PARTITION BY LIST (`id`) (PARTITION `x` VALUES IN (1,2))"
    )
    assert partition_clause([]) is None


@pytest.mark.mysql
def test_key_options_comments_and_partitions_read_alike(mysql_db: ScratchDb, tmp_path: Path) -> None:
    mysql_db.execute([s for s in KEYS.split(";\n") if s.strip()])
    live = load(mysql_db.url)
    table = live.table("k")
    assert table is not None and table.primary_key is not None
    assert (table.primary_key.options, table.primary_key.comment) == (("USING BTREE",), "the key")
    indexes = {i.name: i for i in table.indexes}
    assert (indexes["ia"].options, indexes["ib"].options) == (("USING HASH", "KEY_BLOCK_SIZE=8"), ("USING BTREE",))
    assert indexes["ic"].comment == "it's (a) USING HASH" and indexes["ic"].options == ()
    assert (indexes["ie"].options, indexes["ie"].comment) == (("USING HASH",), "by b")
    # unique keys with a comment or options stay indexes; a spatial key has no prefix length
    assert indexes["ub"].unique and indexes["ub"].comment == "one per b" and indexes["ua"].unique
    assert indexes["sg"].method == "spatial" and indexes["sg"].elements[0].length is None
    partitioned = live.table("p")
    assert partitioned is not None and partitioned.options.partitioning == (
        "PARTITION BY RANGE (year(`d`)) (PARTITION `p0` VALUES LESS THAN (2020), "
        "PARTITION `p1` VALUES LESS THAN MAXVALUE)"
    )
    ddl_file = tmp_path / "keys.sql"
    ddl_file.write_text(KEYS)
    ddl = load(f"ddl:{ddl_file}?dialect=mariadb")
    assert [c.describe() for c in compare(ddl, live)] == []


@pytest.mark.mysql
def test_unnamed_foreign_key_changed_from_a_ddl_file(mysql_db: ScratchDb, tmp_path: Path) -> None:
    """The file names no foreign key; the replacement keeps the server's `kids_ibfk_1` and the
    index stays `parent_id`, as a database built from the file has them."""
    parents = "CREATE TABLE parents (id INT PRIMARY KEY)"
    mysql_db.execute(
        [
            parents,
            "CREATE TABLE kids (id INT PRIMARY KEY, parent_id INT, FOREIGN KEY (parent_id) REFERENCES parents (id))",
            "INSERT INTO parents VALUES (1)",
            "INSERT INTO kids VALUES (1, 1)",
        ]
    )
    target = tmp_path / "schema.sql"
    target.write_text(
        f"{parents};\nCREATE TABLE kids (id INT PRIMARY KEY, parent_id INT,"
        " FOREIGN KEY (parent_id) REFERENCES parents (id) ON DELETE CASCADE);\n"
    )
    plan = tmp_path / "plan"
    made = run("plan", "--target", f"ddl:{target}?dialect=mariadb", "--current", mysql_db.url, "-o", str(plan))
    assert made.returncode == 0, made.stdout + made.stderr
    applied = run("apply", "--plan", str(plan), "--db", mysql_db.url)
    assert applied.returncode == 0, applied.stdout + applied.stderr
    conn = _pymysql_connect(mysql_db.url)
    try:
        with conn.cursor() as cur:
            cur.execute("SHOW CREATE TABLE kids")
            text = cur.fetchone()[1]
            cur.execute("SELECT COUNT(*) FROM kids")
            assert cur.fetchone()[0] == 1
    finally:
        conn.close()
    assert "KEY `parent_id` (`parent_id`)" in text
    assert "CONSTRAINT `kids_ibfk_1` FOREIGN KEY (`parent_id`) REFERENCES `parents` (`id`) ON DELETE CASCADE" in text
