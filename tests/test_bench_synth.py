"""The benchmark's synthetic schema has the shape its figures claim (no timing here).

The performance targets are stated for tables with ~15 columns, a PK, 1-2 FKs, two indexes
(one composite), a UNIQUE and a CHECK each; if the generator drifted, the published figures
would silently describe a different workload.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # bench/ sits beside src/, not installed

from bench import synth

N = 5


def test_generator_is_deterministic_and_prefix_stable() -> None:
    assert synth.script(N, "postgresql") == synth.script(N, "postgresql")
    assert synth.script(10, "sqlite").startswith(synth.script(N, "sqlite"))


def test_sqlite_schema_has_the_promised_shape(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "synth.db")
    conn.executescript(synth.script(N, "sqlite"))
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    assert len(tables) == N
    for name in tables:
        number = int(name.rsplit("_", 1)[1])
        columns = conn.execute("SELECT name, pk FROM pragma_table_info(?)", (name,)).fetchall()
        assert len(columns) == synth.COLUMNS_PER_TABLE
        assert [c for c, pk in columns if pk] == ["id"]
        refs = [r[0] for r in conn.execute('SELECT "table" FROM pragma_foreign_key_list(?)', (name,))]
        assert len(refs) in ({0} if number == 0 else {1} if number == 1 else {1, 2})
        assert all(int(ref.rsplit("_", 1)[1]) < number for ref in refs)  # only earlier tables
        indexes = conn.execute("SELECT name, origin FROM pragma_index_list(?)", (name,)).fetchall()
        explicit = [n for n, origin in indexes if origin == "c"]
        assert len(explicit) == 2
        widths = sorted(conn.execute("SELECT count(*) FROM pragma_index_info(?)", (n,)).fetchone()[0] for n in explicit)
        assert widths == [1, 2]  # one single-column, one composite
        assert [origin for _, origin in indexes].count("u") == 1  # the UNIQUE constraint
        sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (name,)).fetchone()[0]
        assert sql.count("CHECK (") == 1
    conn.close()
