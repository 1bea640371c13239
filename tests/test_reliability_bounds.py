"""Reliability: inputs too large to read whole are bounded, and a schema that is not there is
one line. A 4 MB string literal in a DDL file used to take 596 MB and a 50 MB line 6.9 GB
(the statement splitter's patterns for quoted text kept state per character, and the parser
then tokenized the literal). Quoted text is now matched in one step per run of ordinary
characters, and a definition (CREATE, ALTER...) longer than 1 MB is not parsed: it is a
problem like any unreadable statement (one line, or listed with --lenient). Data statements
(INSERT, COPY) are skipped unread at any size. Each run here has its address space capped
at 1 GiB, so a return of the old appetite fails the test instead of the machine.
"""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

import pytest

from schemaudit.cli import main
from tests.conftest import ScratchDb

pytestmark = pytest.mark.reliability

CAP = 1 << 30


def _capped(*argv: str) -> subprocess.CompletedProcess[str]:
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (CAP, CAP))

    return subprocess.run(
        [sys.executable, "-m", "schemaudit.cli", *argv],
        capture_output=True,
        text=True,
        check=False,
        preexec_fn=limit,
        timeout=300,
    )


@pytest.mark.parametrize("dialect", ["postgresql", "mysql", "sqlite"])
def test_a_4_mb_literal_in_a_definition_is_one_line(tmp_path: Path, dialect: str) -> None:
    ddl = tmp_path / "big.sql"
    literal = "x" * (4 << 20)
    ddl.write_text(
        f"CREATE TABLE t (id integer PRIMARY KEY, v text DEFAULT '{literal}');\nCREATE TABLE u (id integer);\n"
    )
    done = _capped("inspect", f"ddl:{ddl}?dialect={dialect}")
    lines = done.stderr.splitlines()
    assert done.returncode == 2 and len(lines) == 1, done.stderr[-500:]
    assert "big.sql:1:" in lines[0] and "4.0 MB long; definitions are read up to 1 MB" in lines[0]
    assert len(lines[0]) < 400
    lenient = _capped("inspect", f"ddl:{ddl}?dialect={dialect}&lenient=1", "--format", "json")
    assert lenient.returncode == 0, lenient.stderr[-500:]
    assert '"u"' in lenient.stdout and "4.0 MB long" in lenient.stdout


def test_a_50_mb_line_is_bounded(tmp_path: Path) -> None:
    huge = "z" * (50 << 20)
    definition = tmp_path / "definition.sql"
    definition.write_text(f"CREATE TABLE a (id integer, v text DEFAULT '{huge}');\n")
    done = _capped("inspect", f"ddl:{definition}?dialect=postgresql")
    assert done.returncode == 2 and len(done.stderr.splitlines()) == 1, done.stderr[-500:]
    assert "50.0 MB long" in done.stderr
    data = tmp_path / "data.sql"
    data.write_text(f"CREATE TABLE a (id integer, v text);\nINSERT INTO a VALUES (1, '{huge}');\n-- {huge}\n")
    done = _capped("inspect", f"ddl:{data}?dialect=postgresql")
    assert done.returncode == 0, done.stderr[-500:]


@pytest.mark.mysql
def test_mariadb_apply_to_a_missing_database_is_one_line_also_in_a_dry_run(
    mysql_db: ScratchDb, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mysql_db.execute("CREATE TABLE t (id INT PRIMARY KEY)")
    (tmp_path / "t.sql").write_text("CREATE TABLE t (id INT PRIMARY KEY, n INT);")
    target = f"ddl:{tmp_path / 't.sql'}?dialect=mysql"
    assert main(["plan", "--target", target, "--current", mysql_db.url, "-o", str(tmp_path / "p")]) == 0
    for extra in ([], ["--dry-run"]):
        capsys.readouterr()
        assert main(["apply", "--plan", str(tmp_path / "p"), "--db", mysql_db.url, "--schema", "nope", *extra]) == 2
        err = capsys.readouterr().err.splitlines()
        assert len(err) == 1 and "nope" in err[0], err
