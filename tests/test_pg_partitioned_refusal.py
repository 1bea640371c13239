"""A plain PostgreSQL table that the target has partitioned (or back) is refused with one line:
PostgreSQL cannot change it in place, and nothing is changed (partitions are not planned)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import psycopg
import pytest

from schemaudit.cli import main


@pytest.mark.postgresql
def test_plain_to_partitioned_is_kept_with_one_line(pg_db: Any, tmp_path: Path, capsys: Any) -> None:
    name = f"{pg_db.name}_b"
    base = pg_db.url.rsplit("/", 1)[0]
    with psycopg.connect(pg_db.url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')  # type: ignore[arg-type]
    current = f"{base}/{name}"
    try:
        pg_db.execute("CREATE TABLE payment (id int, paid date NOT NULL) PARTITION BY RANGE (paid)")
        with psycopg.connect(current, autocommit=True) as conn:
            conn.execute("CREATE TABLE payment (id int, paid date NOT NULL)")
            conn.execute("INSERT INTO payment VALUES (1, '2024-01-01')")
        code = main(["plan", "--target", pg_db.url, "--current", current, "-o", str(tmp_path / "p")])
        out = capsys.readouterr()
        assert code == 0
        assert "1 change(s) kept" in out.out
        plan_sql = "".join(p.read_text() for p in (tmp_path / "p").glob("*.sql") if p.name != "README.sql")
        assert "PARTITION" not in plan_sql
        kept = (tmp_path / "p" / "plan.json").read_text()
        assert "cannot turn a table into a partitioned one (or back) in place" in kept
    finally:
        with psycopg.connect(pg_db.url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # type: ignore[arg-type]
