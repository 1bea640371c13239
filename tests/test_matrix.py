"""N-way drift (`schemaudit matrix`): per object, which sources agree and which differs."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

import schemaudit
from tests.conftest import PG_URL, ScratchDb

ROOT = Path(__file__).resolve().parent.parent
ANIME = ROOT / "examples" / "anime-catalog"
LABELS = ("--label", "models", "--label", "migrations", "--label", "production")
EXPECTED = {
    "check audit_logs ck_audit_logs_valid_actor_type": ["models"],
    "foreign key refresh_tokens (user_id) -> users(id)": ["models"],
    "column anime.legacy_score": ["production"],
}


def run(*args: str, cwd: Path = ANIME) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "schemaudit.cli", *args], capture_output=True, text=True, cwd=cwd, timeout=600
    )


@pytest.mark.postgresql
def test_anime_models_migrations_and_a_drifted_database(pg_db: ScratchDb, tmp_path: Path) -> None:
    """The database is built from the migrations (plan + apply), then one column is added by
    hand: the report names exactly that column (production differs) and the two objects
    where the models and the migrations disagree (models differ), in every format."""
    server = PG_URL
    migrations = schemaudit.load(f"alembic:{ANIME / 'alembic.ini'}", scratch_url=server)
    assert schemaudit.apply(schemaudit.plan(migrations, pg_db.url), pg_db.url).converged
    pg_db.execute("ALTER TABLE anime ADD COLUMN legacy_score integer")
    sources = ("models:app.models:Base", "alembic:alembic.ini", pg_db.url, "--scratch-url", server, *LABELS)
    result = run("matrix", *sources, "--format", "json", "-o", str(tmp_path / "m.json"))
    assert result.returncode == 1, result.stderr
    report = json.loads((tmp_path / "m.json").read_text())
    assert [s["label"] for s in report["sources"]] == ["models", "migrations", "production"]
    assert {s["dialect"] for s in report["sources"]} == {"postgresql"}
    assert {o["object"]: o["differs"] for o in report["objects"]} == EXPECTED
    for fmt in ("md", "text", "sarif", "html"):
        shown = run("matrix", *sources, "--format", fmt, "-o", "-")
        assert shown.returncode == 1, shown.stderr
        for name in EXPECTED:
            text = shown.stdout if fmt != "html" else shown.stdout.replace("&gt;", ">")
            assert name in text, (fmt, name)
        assert "production" in shown.stdout
    sarif = json.loads(run("matrix", *sources, "--format", "sarif").stdout)
    assert len(sarif["runs"][0]["results"]) == 3
    # `audit` with --current given twice is the same report, in every format
    unlabelled = sources[: -len(LABELS)]
    pair = ("--target", unlabelled[0], "--current", unlabelled[1], "--current", *unlabelled[2:])
    for fmt in ("json", "md", "text", "sarif", "html"):
        by_audit = run("audit", *pair, "--format", fmt)
        assert by_audit.returncode == 1, by_audit.stderr
        assert by_audit.stdout == run("matrix", *unlabelled, "--format", fmt).stdout, fmt
        if fmt == "json":
            differs = {o["object"]: o["differs"] for o in json.loads(by_audit.stdout)["objects"]}
    assert differs == {name: [{"models": unlabelled[0], "production": pg_db.url}[d[0]]] for name, d in EXPECTED.items()}


def _db(path: Path, sql: str) -> str:
    with closing(sqlite3.connect(path)) as conn:
        conn.executescript(sql)
    return str(path)


def test_sources_that_agree_and_a_tie(tmp_path: Path) -> None:
    a = _db(tmp_path / "a.db", "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL);")
    b = _db(tmp_path / "b.db", "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL);")
    c = _db(tmp_path / "c.db", "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT);")
    same = run("matrix", a, b, cwd=tmp_path)
    assert same.returncode == 0 and "all 2 sources agree" in same.stdout, same.stderr
    three = json.loads(run("matrix", a, b, c, "--format", "json", cwd=tmp_path).stdout)
    assert [(o["object"], o["differs"]) for o in three["objects"]] == [("column t.name", [c])]
    tie = json.loads(run("matrix", a, c, "--format", "json", cwd=tmp_path).stdout)
    assert tie["objects"][0]["differs"] == [] and tie["objects"][0]["groups"] == [[a], [c]]
    assert run("matrix", a, c, "--fail-on", "never", cwd=tmp_path).returncode == 0
    bad = run("matrix", a, b, "--label", "one", cwd=tmp_path)
    assert bad.returncode == 2 and "--label given 1 time(s) for 2 sources" in bad.stderr


def test_audit_with_several_current_sides_is_the_n_way_report(tmp_path: Path) -> None:
    target = _db(tmp_path / "t.db", "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL);")
    staging = _db(tmp_path / "s.db", "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL);")
    prod = _db(tmp_path / "p.db", "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT);")
    pair = ("--target", target, "--current", staging, "--current", prod)
    shown = run("audit", *pair, "--format", "json", "-o", "m.json", cwd=tmp_path)
    assert shown.returncode == 1, shown.stderr
    report = json.loads((tmp_path / "m.json").read_text())
    assert [s["label"] for s in report["sources"]] == [target, staging, prod]
    assert [(o["object"], o["differs"]) for o in report["objects"]] == [("column t.name", [prod])]
    assert run("audit", *pair, "--fail-on", "never", cwd=tmp_path).returncode == 0
    agree = run("audit", "--target", target, "--current", staging, "--current", staging, cwd=tmp_path)
    assert agree.returncode == 0 and "all 3 sources agree" in agree.stdout, agree.stderr
    for refused, message in [
        (("audit", *pair, "--baseline", "m.json"), "--baseline is for one --current"),
        (("plan", *pair), "--current given more than once: only audit"),
        (("audit", *pair, "-o", prod), "p.db"),
    ]:
        result = run(*refused, cwd=tmp_path)
        assert result.returncode == 2 and result.stderr.count("\n") == 1 and message in result.stderr, result.stderr
