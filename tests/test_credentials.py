"""Passwords off the command line: `${VAR}` in URLs, MySQL option files and MYSQL_PWD,
PostgreSQL's libpq service files and variables, and no password in a child process's argv.

MariaDB checks passwords, so its tests use a user created with one; the PostgreSQL server
of the test setup trusts local connections, so its tests show that libpq's settings choose
the server and the database (a service file, PGDATABASE) rather than that a password passes.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from schemaudit.sources import LoadOptions, load
from tests.conftest import ScratchDb

ROOT = Path(__file__).resolve().parent.parent
ANIME = ROOT / "examples" / "anime-catalog"
PASSWORD = "s3cr@t/p:w%d"  # URL-hostile on purpose: ${VAR} needs no escaping


def run(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if not k.startswith(("MYSQL_", "PG"))}
    full.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "schemaudit.cli", *args], capture_output=True, text=True, env=full, cwd=cwd, timeout=300
    )


@dataclass(frozen=True)
class MysqlUser:
    name: str
    host: str
    port: int
    database: str


@pytest.fixture
def mysql_user(mysql_db: ScratchDb) -> Iterator[MysqlUser]:
    """A MariaDB user with a password, allowed on the test database and on scratch databases."""
    name = f"sa_{uuid.uuid4().hex[:10]}"
    url = make_url(mysql_db.url)
    mysql_db.execute(
        [
            "CREATE TABLE accounts (id INT PRIMARY KEY, email VARCHAR(200) NOT NULL)",
            f"CREATE USER '{name}'@'%' IDENTIFIED BY '{PASSWORD}'",
            f"GRANT ALL ON `{mysql_db.name}`.* TO '{name}'@'%'",
            f"GRANT ALL ON `schemaudit\\_scratch\\_%`.* TO '{name}'@'%'",
        ]
    )
    try:
        yield MysqlUser(name, url.host or "127.0.0.1", url.port or 3306, mysql_db.name)
    finally:
        mysql_db.execute(f"DROP USER IF EXISTS '{name}'@'%'")


def _mysql(user: MysqlUser, auth: str = "") -> str:
    return f"mysql+pymysql://{user.name}{auth}@{user.host}:{user.port}/{user.database}"


@pytest.mark.mysql
def test_password_from_an_environment_variable_in_the_url(mysql_user: MysqlUser) -> None:
    shown = run("inspect", _mysql(mysql_user, ":${DB_PASSWORD}"), env={"DB_PASSWORD": PASSWORD})
    assert shown.returncode == 0, shown.stderr
    assert "accounts" in shown.stdout and PASSWORD not in shown.stdout + shown.stderr
    wrong = run("inspect", _mysql(mysql_user, ":${DB_PASSWORD}"), env={"DB_PASSWORD": "wrong"})
    assert wrong.returncode == 2 and "Access denied" in wrong.stderr
    unset = run("inspect", _mysql(mysql_user, ":${DB_PASSWORD}"))
    assert unset.returncode == 2 and unset.stderr.strip() == (
        "schemaudit: environment variable DB_PASSWORD (used in a URL) is not set"
    )


@pytest.mark.mysql
def test_mysql_pwd_and_option_files(mysql_user: MysqlUser, tmp_path: Path) -> None:
    assert run("inspect", _mysql(mysql_user)).returncode == 2, "no password: the server refuses"
    by_env = run("inspect", _mysql(mysql_user), env={"MYSQL_PWD": PASSWORD})
    assert by_env.returncode == 0 and "accounts" in by_env.stdout, by_env.stderr
    option_file = tmp_path / "app.cnf"
    option_file.write_text(f'[client]\nuser = {mysql_user.name}\npassword = "{PASSWORD}"\n', encoding="utf-8")
    url = f"mysql+pymysql://{mysql_user.host}:{mysql_user.port}/{mysql_user.database}"
    by_file = run("inspect", f"{url}?read_default_file={option_file}")
    assert by_file.returncode == 0 and "accounts" in by_file.stdout, by_file.stderr
    home = tmp_path / "home"
    home.mkdir()
    (home / ".my.cnf").write_text(
        "!includedir /etc/mysql/conf.d/\n[mysql]\nuser = nobody\n"
        f"[client]\nuser={mysql_user.name}\npassword={PASSWORD}\n",
        encoding="utf-8",
    )
    by_home = run("inspect", url, env={"HOME": str(home)})
    assert by_home.returncode == 0 and "accounts" in by_home.stdout, by_home.stderr
    assert PASSWORD not in by_home.stdout + by_home.stderr
    missing = run("inspect", f"{url}?read_default_file={tmp_path / 'nope.cnf'}")
    assert missing.returncode == 2 and "nope.cnf" in missing.stderr and "not found" in missing.stderr


@pytest.mark.postgresql
def test_postgresql_service_file_and_libpq_variables(pg_db: ScratchDb, tmp_path: Path) -> None:
    pg_db.execute("CREATE TABLE invoices (id integer PRIMARY KEY, total numeric(10, 2) NOT NULL)")
    url = make_url(pg_db.url)
    services = tmp_path / "pg_service.conf"
    services.write_text(
        f"[books]\nhost={url.host}\nport={url.port or 5432}\nuser={url.username}\ndbname={pg_db.name}\n",
        encoding="utf-8",
    )
    by_service = run("inspect", "postgresql:///?service=books", env={"PGSERVICEFILE": str(services)})
    assert by_service.returncode == 0 and "invoices" in by_service.stdout, by_service.stderr
    by_env = run(
        "inspect",
        "postgresql://",
        env={"PGHOST": str(url.host), "PGPORT": str(url.port or 5432), "PGUSER": str(url.username),
             "PGDATABASE": pg_db.name, "PGPASSWORD": PASSWORD},
    )  # fmt: skip
    assert by_env.returncode == 0 and "invoices" in by_env.stdout, by_env.stderr
    assert PASSWORD not in by_env.stdout + by_env.stderr


@pytest.mark.mysql
def test_no_password_in_the_argv_of_child_processes(mysql_user: MysqlUser, monkeypatch: pytest.MonkeyPatch) -> None:
    """The migrations replay on a MariaDB scratch database in a child process; every process
    started on the way is watched through an audit hook (the real Popen calls)."""
    started: list[str] = []

    def hook(event: str, args: tuple[object, ...]) -> None:
        if event == "subprocess.Popen" and watching:
            started.append(repr(args[1]))

    watching = True
    sys.addaudithook(hook)
    monkeypatch.setenv("SA_SCRATCH_PASSWORD", PASSWORD)
    server = f"mysql+pymysql://{mysql_user.name}:${{SA_SCRATCH_PASSWORD}}@{mysql_user.host}:{mysql_user.port}/"
    try:
        schema = load(f"alembic:{ANIME / 'alembic.ini'}", LoadOptions(scratch_url=server))
    finally:
        watching = False
    assert schema.dialect == "mysql" and any(t.name == "anime" for t in schema.tables)
    assert started, "the replay runs in a child process"
    assert not [argv for argv in started if PASSWORD in argv or make_url(_mysql(mysql_user)).username in argv]
