"""Reliability: a password never appears in any output of any failure path (or of a success).

Passwords contain `@ : / % #`, written raw in the URL and URL-encoded. Every run's stdout and
stderr (file descriptors, so child processes count) and every file it leaves behind (reports
in every format, snapshots, plan folders, Alembic revisions) are searched for the password,
its encoded forms and each of its distinctive pieces."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest
from sqlalchemy.engine import make_url

from schemaudit.cli import main
from tests.conftest import MYSQL_URL, PG_URL, ScratchDb

pytestmark = pytest.mark.reliability

PASSWORD = "hunterA@twoBBB:threeC/fourD%fiveE#sixF"
PIECES = [p for p in re.split(r"[@:/%#]", PASSWORD) if len(p) >= 5]
FORMS = {"raw": PASSWORD, "encoded": quote(PASSWORD, safe="")}
MODELS = """
import os, sys
from sqlalchemy.orm import DeclarativeBase
print("PGPASSWORD={pw}")
print("connecting with", {{'password': {pw!r}}}, file=sys.stderr)
raise ValueError({{'password': {pw!r}, 'dsn': 'postgresql://app:{enc}@db/app'}})
"""
PYTHON = """
def init_schema(conn):
    raise RuntimeError("password={pw} rejected")
"""


def leaks(text: str) -> list[str]:
    needles = [PASSWORD, quote(PASSWORD, safe=""), quote_plus(PASSWORD), quote(PASSWORD), *PIECES]
    return [n for n in needles if n in text]


def url(base: str, password: str, database: str | None = None, port: int | None = None) -> str:
    u = make_url(base)
    host = u.host or "127.0.0.1"
    return f"{u.drivername}://{u.username}:{password}@{host}:{port or u.port}/{database or u.database}"


def check(tmp_path: Path, capfd: pytest.CaptureFixture[str], argv: list[str], codes: tuple[int, ...] = (2,)) -> str:
    code = main(argv)
    out, err = capfd.readouterr()
    texts = {"stdout": out, "stderr": err}
    for path in tmp_path.rglob("*"):
        if path.is_file():
            texts[str(path.relative_to(tmp_path))] = path.read_bytes().decode("utf-8", "replace")
    found = {where: leaks(text) for where, text in texts.items() if leaks(text)}
    assert not found, f"{argv}: password in {found}"
    assert code in codes, (code, err)
    if code == 2:
        assert len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
    return err


def sqlite_db(tmp_path: Path) -> str:
    path = tmp_path / "app.db"
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)")
    return str(path)


@pytest.fixture(params=sorted(FORMS))
def pw(request: pytest.FixtureRequest) -> str:
    return FORMS[request.param]


def _unreachable(pw: str) -> list[str]:
    return [
        url(PG_URL, pw, "postgres", port=1),
        url(MYSQL_URL, pw, "mysql", port=1),
        f"postgresql://app:{pw}@no-such-host.invalid:5432/app",
        f"mysql+pymysql://app:{pw}@no-such-host.invalid:3306/app",
    ]


@pytest.mark.parametrize("which", range(4))
def test_unreachable_servers(tmp_path: Path, capfd: pytest.CaptureFixture[str], pw: str, which: int) -> None:
    target = _unreachable(pw)[which]
    current = sqlite_db(tmp_path)
    check(tmp_path, capfd, ["inspect", target])
    check(tmp_path, capfd, ["inspect", target, "-o", str(tmp_path / "snap.json")])
    for fmt in ("md", "json", "html", "sarif", "text"):
        check(tmp_path, capfd, ["audit", "--target", target, "--current", current, "--format", fmt])
    check(tmp_path, capfd, ["plan", "--target", current, "--current", target, "-o", str(tmp_path / "plan")])
    (tmp_path / "plan").mkdir()
    check(tmp_path, capfd, ["apply", "--plan", str(tmp_path / "plan"), "--db", target])


@pytest.mark.mysql
def test_rejected_mysql_password(tmp_path: Path, capfd: pytest.CaptureFixture[str], pw: str) -> None:
    target = url(MYSQL_URL, pw, "mysql")
    err = check(tmp_path, capfd, ["inspect", target])
    assert "***" in err or "denied" in err
    alembic = tmp_path / "alembic"
    (alembic / "versions").mkdir(parents=True)
    (alembic / "env.py").write_text("")
    (tmp_path / "alembic.ini").write_text("[alembic]\nscript_location = alembic\n")
    check(tmp_path, capfd, ["inspect", f"alembic:{tmp_path / 'alembic.ini'}", "--scratch-url", target])


@pytest.mark.postgresql
def test_every_output_of_a_working_connection(
    tmp_path: Path, capfd: pytest.CaptureFixture[str], pw: str, pg_db: ScratchDb
) -> None:
    """Trust authentication accepts any password: every output of a run that succeeds."""
    pg_db.execute(["CREATE TABLE t (id integer PRIMARY KEY)", "CREATE TABLE u (id integer PRIMARY KEY, v text)"])
    target = url(pg_db.url, pw)
    local = tmp_path / "out"
    local.mkdir()
    check(tmp_path, capfd, ["inspect", target], (0,))
    check(tmp_path, capfd, ["inspect", target, "-o", str(local / "snap.json")], (0,))
    for fmt in ("md", "json", "html", "sarif", "text"):
        argv = ["audit", "--target", str(local / "snap.json"), "--current", target, "--format", fmt]
        check(tmp_path, capfd, [*argv, "-o", str(local / f"report.{fmt}")], (0, 1))
        check(tmp_path, capfd, argv, (0, 1))
    ddl = local / "target.sql"
    ddl.write_text("CREATE TABLE t (id integer PRIMARY KEY, n integer);")
    check(tmp_path, capfd, ["plan", "--target", str(ddl), "--current", target, "-o", str(local / "plan")], (0,))
    check(tmp_path, capfd, ["plan", "--target", str(ddl), "--current", target, "--format", "alembic"], (0,))
    check(tmp_path, capfd, ["apply", "--plan", str(local / "plan"), "--db", target, "--dry-run"], (0,))
    check(tmp_path, capfd, ["apply", "--plan", str(local / "plan"), "--db", target, "--schema", "nope"])
    check(tmp_path, capfd, ["audit", "--target", str(ddl), "--current", url(pg_db.url, pw, "nope_db")])


def _project(tmp_path: Path, name: str, text: str) -> Path:
    folder = tmp_path / "proj"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text.format(pw=PASSWORD, enc=quote(PASSWORD, safe="")))
    return folder


@pytest.mark.parametrize(
    "source",
    [
        lambda tmp: ["--path", str(_project(tmp, "leaky.py", MODELS)), "models:leaky:Base"],
        lambda tmp: [f"python:{_project(tmp, 'init.py', PYTHON) / 'init.py'}:init_schema"],
    ],
    ids=["models", "python"],
)
def test_user_code_that_shows_a_password(
    tmp_path: Path, capfd: pytest.CaptureFixture[str], source: Callable[[Path], list[str]]
) -> None:
    args = source(tmp_path)
    code = main(["inspect", *args[:-1], args[-1]] if len(args) > 1 else ["inspect", *args])
    out, err = capfd.readouterr()
    assert code == 2 and len(err.strip().splitlines()) == 1, err
    assert not leaks(out + err), out + err
