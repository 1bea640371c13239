"""The DDL benchmark's own correctness at a small size (never its timings): the synthetic
file of each dialect reads as the tables it was generated from, and the floor parses one
tree per statement, so a tool that read nothing could not look fast."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlglot
from bench import ddl_bench, ddl_corpus, synth
from sqlglot.errors import ErrorLevel, ParseError

from schemaudit.sources import load
from tests.conftest import corpus_file


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


@pytest.mark.parametrize(("name", "dialect"), [(name, dialect) for name, dialect, _ in ddl_corpus.FILES])
def test_corpus_files_read_as_the_bench_reads_them(name: str, dialect: str) -> None:
    """Each real dump of the corpus bench reads with the spec it is measured with, so a row
    of its table is never a file that failed fast."""
    path = corpus_file(*name.split("/"))
    flavor, _, extra = dialect.partition("&")
    schema = load(f"ddl:{path}?dialect={flavor}{'&' + extra if extra else ''}")
    assert schema.tables


def test_corpus_floor_reads_a_dump_sqlglot_cannot_parse_whole() -> None:
    """employees.sql makes sqlglot raise; the floor then parses what it can, not nothing."""
    text = corpus_file("realworld", "employees", "employees.sql").read_text(encoding="utf-8-sig")
    with pytest.raises(ParseError):
        sqlglot.parse(text, read="mysql")
    trees = sqlglot.parse(text, read="mysql", error_level=ErrorLevel.IGNORE)
    assert sum(isinstance(t, sqlglot.exp.Create) for t in trees) >= 6
