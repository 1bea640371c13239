"""The progress display as a person at a terminal sees it: it moves during a slow Alembic
replay (the spinner and the clock are redrawn while a revision runs, and the count of
revisions replayed goes up), it is gone when the report prints, and nothing of it reaches
a pipe."""

from __future__ import annotations

import re
from pathlib import Path

from tests.test_alembic_source import revision
from tests.test_terminal import CSI, in_terminal, piped

REVISIONS = 4


def _slow_project(tmp_path: Path) -> Path:
    """An Alembic project whose revisions take 0.6 s each to run."""
    versions = tmp_path / "migrations" / "versions"
    versions.mkdir(parents=True)
    (tmp_path / "migrations" / "env.py").write_text("raise RuntimeError('env.py must not run')\n")
    (tmp_path / "alembic.ini").write_text("[alembic]\nscript_location = %(here)s/migrations\n")
    down = None
    for n in range(1, REVISIONS + 1):
        body = f'import time\ntime.sleep(0.6)\nop.create_table("t{n}", sa.Column("id", sa.Integer, primary_key=True))'
        revision(versions, f"r{n}", down, body)
        down = f"r{n}"
    (tmp_path / "target.sql").write_text(
        "".join(f"CREATE TABLE t{n} (id INTEGER PRIMARY KEY);\n" for n in range(1, REVISIONS + 1))
    )
    return tmp_path


def test_progress_moves_during_an_alembic_replay(tmp_path: Path) -> None:
    project = _slow_project(tmp_path)
    args = ("audit", "--target", "ddl:target.sql?dialect=sqlite", "--current", "alembic:alembic.ini")
    shown = in_terminal(*args, cwd=project, columns=120)
    frames = [CSI.sub("", f) for f in re.split(r"\r|\x1b\[2K", shown) if "revisions replayed" in f]
    counts = {int(m.group(1)) for f in frames for m in re.finditer(rf"(\d+)/{REVISIONS} revisions replayed", f)}
    assert len(counts) >= 3 and min(counts) < REVISIONS, counts  # the count goes up as revisions run
    same_count = [f for f in frames if f"{min(counts)}/{REVISIONS} revisions replayed" in f]
    assert len(set(same_count)) >= 2, "redrawn (spinner, clock) while one revision runs"
    assert "CONSISTENT" in shown and shown.endswith("[exit 0]")
    report = CSI.sub("", shown).split("CONSISTENT", 1)[1]
    assert "revisions replayed" not in report, "the display is cleared before the report"


def test_no_progress_on_a_pipe(tmp_path: Path) -> None:
    project = _slow_project(tmp_path)
    args = ("audit", "--target", "ddl:target.sql?dialect=sqlite", "--current", "alembic:alembic.ini")
    done = piped(*args, cwd=project)
    assert done.returncode == 0 and done.stderr == "" and "\x1b" not in done.stdout
    assert done.stdout.startswith("CONSISTENT")


def test_history_and_plan_show_the_replay_too(tmp_path: Path) -> None:
    project = _slow_project(tmp_path)
    for args in (
        ("history", "alembic.ini"),
        ("plan", "--target", "ddl:target.sql?dialect=sqlite", "--current", "alembic:alembic.ini"),
    ):
        shown = CSI.sub("", in_terminal(*args, cwd=project, columns=120))
        assert f"/{REVISIONS} revisions replayed" in shown, args
        assert shown.endswith("[exit 0]")
