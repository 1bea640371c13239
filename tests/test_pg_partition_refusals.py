"""Partition changes that would fail on the data, or lose what a rebuild cannot carry, stop
with one line before anything changes (the happy paths are convergence pairs 180-187)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from schemaudit.cli import main

pytestmark = pytest.mark.postgresql


@pytest.fixture
def current(pg_db: Any) -> Iterator[tuple[str, Any]]:
    """A second database beside `pg_db` (the target): (URL, autocommit connection)."""
    name = f"{pg_db.name}_b"
    base = pg_db.url.rsplit("/", 1)[0]
    with psycopg.connect(pg_db.url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')  # type: ignore[arg-type]
    try:
        with psycopg.connect(f"{base}/{name}", autocommit=True) as conn:
            yield f"{base}/{name}", conn
    finally:
        with psycopg.connect(pg_db.url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # type: ignore[arg-type]


def _catalog(conn: Any) -> list[tuple[Any, ...]]:
    return conn.execute(
        "SELECT relname, relkind::text FROM pg_class WHERE relnamespace = 'public'::regnamespace ORDER BY 1"
    ).fetchall()


def test_rows_no_partition_takes_stop_the_plan(pg_db: Any, current: Any, tmp_path: Path, capsys: Any) -> None:
    url, conn = current
    pg_db.execute(
        [
            "CREATE TABLE payment (id int, paid date NOT NULL) PARTITION BY RANGE (paid)",
            "CREATE TABLE payment_2024 PARTITION OF payment FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
        ]
    )
    conn.execute("CREATE TABLE payment (id int, paid date NOT NULL)")
    conn.execute("INSERT INTO payment VALUES (1, '2024-01-01'), (2, '2023-05-01')")
    before = _catalog(conn)
    code = main(["plan", "--target", pg_db.url, "--current", url, "-o", str(tmp_path / "p")])
    err = capsys.readouterr().err
    assert code == 2 and not (tmp_path / "p").exists()
    assert "1 row(s) of payment fall in no partition the target defines for it" in err
    assert len(err.strip().splitlines()) == 1
    assert _catalog(conn) == before


def test_rows_outside_a_new_bound_stop_the_plan(pg_db: Any, current: Any, tmp_path: Path, capsys: Any) -> None:
    url, conn = current
    table = "CREATE TABLE m (id int NOT NULL, d date NOT NULL) PARTITION BY RANGE (d)"
    pg_db.execute([table, "CREATE TABLE m_a PARTITION OF m FOR VALUES FROM ('2024-01-01') TO ('2024-07-01')"])
    conn.execute(table)
    conn.execute("CREATE TABLE m_a PARTITION OF m FOR VALUES FROM ('2024-01-01') TO ('2024-10-01')")
    conn.execute("INSERT INTO m VALUES (1, '2024-08-01'), (2, '2024-02-01')")
    code = main(["plan", "--target", pg_db.url, "--current", url, "-o", str(tmp_path / "p")])
    err = capsys.readouterr().err
    assert code == 2
    assert "1 row(s) of partition m_a of m fall outside its new bound" in err


def test_default_partition_rows_of_a_new_partition_stop_the_plan(
    pg_db: Any, current: Any, tmp_path: Path, capsys: Any
) -> None:
    url, conn = current
    table = "CREATE TABLE m (id int NOT NULL, r text) PARTITION BY LIST (r)"
    pg_db.execute(
        [table, "CREATE TABLE m_eu PARTITION OF m FOR VALUES IN ('eu')", "CREATE TABLE m_x PARTITION OF m DEFAULT"]
    )
    conn.execute(table)
    conn.execute("CREATE TABLE m_x PARTITION OF m DEFAULT")
    conn.execute("INSERT INTO m VALUES (1, 'eu'), (2, 'us'), (3, 'eu')")
    code = main(["plan", "--target", pg_db.url, "--current", url, "-o", str(tmp_path / "p")])
    err = capsys.readouterr().err
    assert code == 2
    assert "2 row(s) of the default partition m_x of m belong in the new partition m_eu" in err


def test_a_rebuild_that_would_lose_a_foreign_key_is_kept(pg_db: Any, current: Any, tmp_path: Path, capsys: Any) -> None:
    url, conn = current
    pg_db.execute(
        [
            "CREATE TABLE payment (id int, paid date NOT NULL, PRIMARY KEY (id, paid)) PARTITION BY RANGE (paid)",
            "CREATE TABLE payment_all PARTITION OF payment DEFAULT",
            "CREATE TABLE refund (id int PRIMARY KEY, pid int, paid date, FOREIGN KEY (pid, paid) REFERENCES payment)",
        ]
    )
    conn.execute("CREATE TABLE payment (id int, paid date NOT NULL, PRIMARY KEY (id, paid))")
    conn.execute(
        "CREATE TABLE refund (id int PRIMARY KEY, pid int, paid date, FOREIGN KEY (pid, paid) REFERENCES payment)"
    )
    code = main(["plan", "--target", pg_db.url, "--current", url, "-o", str(tmp_path / "p")])
    out = capsys.readouterr().out
    assert code == 0
    assert "change(s) kept" in out
    kept = (tmp_path / "p" / "plan.json").read_text()
    assert "rebuilding it would lose foreign keys of refund" in kept
    steps = [p for p in (tmp_path / "p").glob("2*.sql")]
    assert not any("PARTITION" in p.read_text() for p in steps)


def test_rows_a_partition_partitioned_anew_would_not_place_stop_the_plan(
    pg_db: Any, current: Any, tmp_path: Path, capsys: Any
) -> None:
    url, conn = current
    table = "CREATE TABLE s (id int NOT NULL, d date NOT NULL, r text) PARTITION BY RANGE (d)"
    bound = "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')"
    pg_db.execute(
        [
            table,
            f"CREATE TABLE s_2024 PARTITION OF s {bound} PARTITION BY LIST (r)",
            "CREATE TABLE s_2024_eu PARTITION OF s_2024 FOR VALUES IN ('eu')",
        ]
    )
    conn.execute(table)
    conn.execute(f"CREATE TABLE s_2024 PARTITION OF s {bound}")
    conn.execute("INSERT INTO s VALUES (1, '2024-02-01', 'eu'), (2, '2024-03-01', 'us'), (3, '2024-04-01', NULL)")
    before = _catalog(conn)
    code = main(["plan", "--target", pg_db.url, "--current", url, "-o", str(tmp_path / "p")])
    err = capsys.readouterr().err
    assert code == 2
    assert "2 row(s) of partition s_2024 of s fall in none of the partitions the target gives it" in err
    assert _catalog(conn) == before
