"""Reliability: names that carry terminal escape sequences. A SQLite table may be called
`t\\x1b]0;pwned\\x07x` (an OSC that retitles the window), a column `c\\x1b[31mred` (a colour),
`cr\\rcol` (a carriage return that overwrites the line) or `c1\\x9bz` (a one-byte CSI). No
output meant for a person sends them raw: terminal and text reports, markdown, HTML, JSON,
SARIF, `inspect`, `matrix`, `plan`, `apply` and error messages show them escaped. On
PostgreSQL the plan quotes such names as `U&"..."`, so its SQL holds no raw control
character either, and the database gets the names exactly.
"""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from schemaudit.terminal import visible
from tests.conftest import ScratchDb, _psycopg_url

pytestmark = pytest.mark.reliability

TABLE = "t\x1b]0;pwned\x07x"
RED = "c\x1b[31mred"
CR = "cr\rcol"
CSI = "c1\x9bz"
NEW = "new\x1bcol"
OTHER = "other\x1b[2J"
# every control character but newline and tab, DEL, C1, separators and bidi controls
_SGR = re.compile(r"\x1b\[[0-9;]*m")
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _dbs(tmp_path: Path) -> tuple[Path, Path]:
    current, target = tmp_path / "current.db", tmp_path / "target.db"
    with closing(sqlite3.connect(current)) as conn:
        conn.execute(f"CREATE TABLE {_q(TABLE)} ({_q(RED)} TEXT, {_q(CR)} INTEGER, {_q(CSI)} TEXT)")
        conn.execute(f"CREATE INDEX {_q('ix' + chr(0x1B) + '[2J')} ON {_q(TABLE)} ({_q(CR)})")
        conn.execute(f"INSERT INTO {_q(TABLE)} VALUES ('a', 1, 'b')")
        conn.commit()
    with closing(sqlite3.connect(target)) as conn:
        conn.execute(f"CREATE TABLE {_q(TABLE)} ({_q(RED)} TEXT NOT NULL, {_q(CR)} INTEGER, {_q(NEW)} TEXT)")
        conn.execute(f"CREATE TABLE {_q(OTHER)} (id INTEGER)")
    return current, target


def _run(*argv: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "schemaudit.cli", *argv], capture_output=True, text=True, check=False, env=env
    )


def _clean(where: str, text: str) -> None:
    raw = sorted({hex(ord(c)) for c in RAW.findall(text)})
    assert not raw, f"{where}: raw control characters {raw}"


def test_no_output_for_a_person_sends_a_name_s_escape_sequence(tmp_path: Path) -> None:
    current, target = _dbs(tmp_path)
    pair = ["--target", str(target), "--current", str(current)]
    outputs: dict[str, str] = {}
    for fmt in ("text", "md", "html", "json", "sarif"):
        done = _run("audit", *pair, "--format", fmt, "-o", str(tmp_path / f"report.{fmt}"))
        assert done.returncode == 1, done.stderr
        outputs[f"audit -o report.{fmt}"] = (tmp_path / f"report.{fmt}").read_text(encoding="utf-8")
        outputs[f"audit --format {fmt} (stdout)"] = _run("audit", *pair, "--format", fmt).stdout
    import os

    colour = dict(os.environ, FORCE_COLOR="1")
    outputs["audit, coloured terminal"] = _run("audit", *pair, env=colour).stdout
    outputs["inspect"] = _run("inspect", str(current)).stdout
    outputs["inspect, coloured"] = _run("inspect", str(current), env=colour).stdout
    assert _run("inspect", str(current), "-o", str(tmp_path / "snap.json")).returncode == 0
    outputs["inspect -o snap.json"] = (tmp_path / "snap.json").read_text(encoding="utf-8")
    outputs["matrix"] = _run("matrix", str(target), str(current)).stdout
    outputs["plan (stdout)"] = _run("plan", *pair).stdout
    assert _run("plan", *pair, "-o", str(tmp_path / "plan")).returncode == 0
    # SQLite cannot escape a character inside a name: the step files hold them, and say so
    steps = [p.read_text(encoding="utf-8") for p in sorted((tmp_path / "plan").glob("2*.sql"))]
    assert all("read this file with `cat -v`" in text for text in steps if RAW.search(text))
    done = _run("apply", "--plan", str(tmp_path / "plan"), "--db", str(current), "--no-backup")
    assert done.returncode == 0, done.stderr
    outputs["apply"] = done.stdout + done.stderr
    missing = _run("inspect", f"sqlite:///{tmp_path / ('nope' + chr(0x1B) + ']0;x' + chr(7) + '.db')}")
    assert missing.returncode == 2
    outputs["error message"] = missing.stderr
    for where, text in outputs.items():
        # a coloured report keeps the colours it drew (SGR), and only those: names are escaped
        _clean(where, _SGR.sub("", text) if "colour" in where else text)
    # the names are shown, escaped, not dropped
    assert "t\\x1b]0;pwned\\x07x" in outputs["audit -o report.md"]
    assert "cr\\rcol" in outputs["audit -o report.html"]
    assert "c1\\x9bz" in outputs["apply"]
    assert "nope\\x1b]0;x\\x07.db" in outputs["error message"] and len(missing.stderr.splitlines()) == 1
    assert "t\\x1b]0;pwned" in outputs["audit, coloured terminal"]
    assert "c\\x1b[31mred" in outputs["audit, coloured terminal"]  # a raw one would pass for a colour
    assert "\\x1b[31m" in outputs["audit --format text (stdout)"]
    # JSON escapes them as JSON does: the same names come back
    report = json.loads(outputs["audit -o report.json"])
    assert TABLE in {f["table"] for f in report["findings"]} and "\\u009b" in outputs["audit -o report.json"]
    # and the apply really gave the database these exact names
    with closing(sqlite3.connect(current)) as conn:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")}
    assert {TABLE, OTHER} <= names


def test_a_clean_coloured_report_keeps_its_colours(tmp_path: Path) -> None:
    import os

    db = tmp_path / "ok.db"
    with closing(sqlite3.connect(db)) as conn:
        conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)")
    done = _run("audit", "--target", str(db), "--current", str(db), env=dict(os.environ, FORCE_COLOR="1"))
    assert "\x1b[" in done.stdout  # colours are still drawn where no name carries a sequence


def test_visible_escapes_every_control_but_newline_and_tab() -> None:
    assert visible("a\x1b]0;x\x07\rb\x9b\u202e\n\t") == "a\\x1b]0;x\\x07\\rb\\x9b\\u202e\n\t"


@pytest.mark.postgresql
def test_postgresql_plans_quote_control_characters_and_converge(
    pg_db: ScratchDb, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import psycopg

    from schemaudit.cli import main

    _current, target = _dbs(tmp_path)
    plan = tmp_path / "plan"
    assert (
        main(["plan", "--target", str(target), "--current", pg_db.url, "--dialect", "postgresql", "-o", str(plan)]) == 0
    )
    files = "".join(p.read_text(encoding="utf-8") for p in plan.glob("2*.sql"))
    _clean("plan folder", files)
    assert 'U&"t\\001B]0;pwned\\0007x"' in files and 'U&"cr\\000Dcol"' in files
    assert main(["apply", "--plan", str(plan), "--db", pg_db.url]) == 0
    assert "converged: the database matches the plan's target" in capsys.readouterr().out
    with psycopg.connect(_psycopg_url(pg_db.url), autocommit=True) as conn:
        columns = conn.execute(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' "
            "AND table_name <> 'schemaudit_migrations'"
        ).fetchall()
    assert set(columns) == {(TABLE, RED), (TABLE, CR), (TABLE, NEW), (OTHER, "id")}
    assert visible(TABLE) == "t\\x1b]0;pwned\\x07x"


def _at_a_terminal(*argv: str, cwd: Path) -> str:
    """What `schemaudit argv` draws on a pseudo-terminal with FORCE_COLOR set: the coloured
    report a person sees (line ends as the terminal gets them, `\\r\\n`, put back to `\\n`)."""
    import os
    import pty

    master, slave = pty.openpty()
    env = dict(os.environ, FORCE_COLOR="1", COLUMNS="200")
    env.pop("NO_COLOR", None)
    child = subprocess.Popen(
        [sys.executable, "-m", "schemaudit.cli", *argv], stdout=slave, stderr=subprocess.DEVNULL, cwd=cwd, env=env
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed its end
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    child.wait(timeout=60)
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


def test_a_coloured_terminal_report_shows_cr_bel_and_esc_in_names_escaped(tmp_path: Path) -> None:
    """rich drops BEL, BS, VT, FF and CR from what it draws: `cr\\rcol` became `crcol`, a
    different name. audit, inspect, matrix and impact at a terminal show it `cr\\rcol`, in
    colour (no raw control character but the colours drawn)."""
    bel = "bel\x07col"
    with closing(sqlite3.connect(tmp_path / "current.db")) as conn:
        conn.execute(f"CREATE TABLE {_q(TABLE)} (id INTEGER, {_q(CR)} INTEGER, {_q(bel)} TEXT)")
    with closing(sqlite3.connect(tmp_path / "target.db")) as conn:
        conn.execute(f"CREATE TABLE {_q(TABLE)} (id INTEGER, {_q(bel)} INTEGER)")
        conn.execute("CREATE TABLE gone (id INTEGER)")
    (tmp_path / "code").mkdir()
    line = 'rows = db.execute("SELECT id FROM gone")  # bel\x07 esc\x1b[2J cr\rcol\n'
    (tmp_path / "code" / "app.py").write_bytes(line.encode())
    pair = ("--target", "target.db", "--current", "current.db")
    shown = {
        "audit": _at_a_terminal("audit", *pair, cwd=tmp_path),
        "inspect": _at_a_terminal("inspect", "current.db", cwd=tmp_path),
        "matrix": _at_a_terminal("matrix", "target.db", "current.db", cwd=tmp_path),
        "impact": _at_a_terminal("impact", *pair, "--code", "code", cwd=tmp_path),
    }
    for command, text in shown.items():
        assert "\x1b[" in text, f"{command}: drawn without colours"
        _clean(command, _SGR.sub("", text))
    for command in ("audit", "inspect", "matrix"):
        assert "cr\\rcol" in shown[command] and "bel\\x07col" in shown[command], shown[command]
    assert "t\\x1b]0;pwned\\x07x" in shown["audit"] and "t\\x1b]0;pwned\\x07x" in shown["inspect"]
    assert "Column t\\x1b]0;pwned\\x07x.cr\\rcol (INTEGER) is not in the target" in shown["audit"]
    assert "bel\\x07 esc\\x1b[2J cr\\rcol" in shown["impact"]
