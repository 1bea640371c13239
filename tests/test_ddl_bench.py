"""The DDL benchmark's own correctness at a small size (never its timings): the synthetic
file of each dialect reads as the tables it was generated from, and the floor parses one
tree per statement, so a tool that read nothing could not look fast."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlglot
from bench import ddl_bench, synth

from schemaudit.sources import load


@pytest.mark.parametrize("dialect", ["postgresql", "mysql", "sqlite"])
def test_synthetic_file_reads_as_its_tables(tmp_path: Path, dialect: str) -> None:
    file = tmp_path / "schema.sql"
    file.write_text(synth.script(12, dialect), encoding="utf-8")
    schema = load(f"ddl:{file}?dialect={dialect}")
    assert sorted(t.name for t in schema.tables) == sorted(synth.table_name(i) for i in range(12))
    table = next(t for t in schema.tables if t.name == synth.table_name(5))
    assert len(table.columns) == synth.COLUMNS_PER_TABLE
    assert len(table.indexes) >= 2  # MySQL adds one per foreign key
    assert table.checks and table.uniques and table.foreign_keys
    trees = sqlglot.parse(file.read_text(encoding="utf-8"), read=ddl_bench._SQLGLOT[dialect])
    assert len(trees) == ddl_bench._statements(12, dialect)
