"""Passwords off the command line: `${VAR}` in URLs, MySQL option files and MYSQL_PWD,
PostgreSQL's libpq service files and variables, and no password in a child process's argv.

MariaDB checks passwords, so its tests use a user created with one. The shared PostgreSQL
server trusts local connections, so a password there proves nothing: the first PostgreSQL
test shows only that libpq's settings choose the server and the database (a service file,
PGDATABASE); the password tests run against a private server started for them with
scram-sha-256 authentication, where a missing or wrong password is refused.
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

from schemaudit.errors import SchemauditError
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


# ---- PostgreSQL with password authentication ----------------------------------------------
# The shared test server trusts every local connection, so a password there proves nothing: a
# wrong one connects as well. These tests start a private server (initdb, scram-sha-256 for
# every connection, TCP on a free port) for the module, so that only the right password
# gets in, and show where libpq finds it: PGPASSWORD, a .pgpass file (PGPASSFILE), a
# service file (PGSERVICEFILE) naming host, port and database.

PG_PASSWORD = "pg:s3cr@t/w"


@dataclass(frozen=True)
class PasswordServer:
    host: str
    port: int
    database: str  # has a table `ledger`


def _as_server_user() -> dict[str, object]:
    """PostgreSQL refuses to run as root: drop to the `postgres` user when we are root."""
    if os.geteuid() != 0:
        return {}
    import pwd

    try:
        entry = pwd.getpwnam("postgres")
    except KeyError:
        pytest.skip("running as root and there is no postgres user to run a private server as")
    return {"user": entry.pw_uid, "group": entry.pw_gid}


@pytest.fixture(scope="module")
def password_server() -> Iterator[PasswordServer]:
    import shutil
    import socket
    import tempfile

    from tests.conftest import REQUIRE_SERVERS

    initdb, pg_ctl = shutil.which("initdb"), shutil.which("pg_ctl")
    if initdb is None or pg_ctl is None:
        reason = "initdb/pg_ctl are not on PATH: no private PostgreSQL server with password authentication"
        if REQUIRE_SERVERS:
            pytest.fail(f"SCHEMAUDIT_REQUIRE_SERVERS=1 but {reason}")
        pytest.skip(reason)
    owner = _as_server_user()
    folder = Path(tempfile.mkdtemp(prefix="schemaudit-pgpass-"))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    (folder / "pw").write_text(PG_PASSWORD + "\n", encoding="utf-8")
    if owner:
        os.chown(folder, int(str(owner["user"])), int(str(owner["group"])))
        os.chown(folder / "pw", int(str(owner["user"])), int(str(owner["group"])))
    data = folder / "data"
    server = [pg_ctl, "-D", str(data), "-l", str(folder / "log"), "-w", "-t", "60"]
    try:
        subprocess.run(
            [initdb, "-D", str(data), "-U", "postgres", "-A", "scram-sha-256", f"--pwfile={folder / 'pw'}",
             "--no-sync", "-E", "UTF8", "--locale=C"],
            check=True, capture_output=True, timeout=120, **owner,
        )  # fmt: skip
        options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=20"
        subprocess.run([*server, "-o", options, "start"], check=True, capture_output=True, timeout=120, **owner)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        shutil.rmtree(folder, ignore_errors=True)
        pytest.fail(f"cannot start a private PostgreSQL server: {getattr(exc, 'stderr', b'')!r}")
    admin = {"host": "127.0.0.1", "port": port, "user": "postgres", "password": PG_PASSWORD, "autocommit": True}
    try:
        import psycopg

        with psycopg.connect(dbname="postgres", **admin) as conn:
            conn.execute("CREATE DATABASE books")
        with psycopg.connect(dbname="books", **admin) as conn:
            conn.execute("CREATE TABLE ledger (id integer PRIMARY KEY, amount numeric(12, 2) NOT NULL)")
        yield PasswordServer("127.0.0.1", port, "books")
    finally:
        subprocess.run([*server, "-m", "immediate", "stop"], capture_output=True, timeout=120, **owner)
        shutil.rmtree(folder, ignore_errors=True)


def _pgpass(path: Path, server: PasswordServer, password: str, database: str = "*") -> Path:
    path.write_text(f"# host:port:database:user:password\n{server.host}:{server.port}:{database}:postgres:"
                    + password.replace("\\", "\\\\").replace(":", "\\:") + "\n", encoding="utf-8")  # fmt: skip
    path.chmod(0o600)  # libpq ignores a password file others may read
    return path


@pytest.mark.postgresql
def test_postgresql_password_from_pgpass_and_service_files(password_server: PasswordServer, tmp_path: Path) -> None:
    server = password_server
    url = f"postgresql://postgres@{server.host}:{server.port}/{server.database}"
    refused = run("inspect", url, env={"PGPASSFILE": str(tmp_path / "none")})
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1, refused.stderr
    assert "asks user 'postgres' for a password and none was found" in refused.stderr, refused.stderr
    assert "~/.pgpass" in refused.stderr
    wrong = run("inspect", url, env={"PGPASSFILE": str(_pgpass(tmp_path / "wrong", server, "nope"))})
    assert wrong.returncode == 2 and "authentication failed" in wrong.stderr, wrong.stderr

    pgpass = _pgpass(tmp_path / "pgpass", server, PG_PASSWORD, server.database)
    by_file = run("inspect", url, env={"PGPASSFILE": str(pgpass)})
    assert by_file.returncode == 0 and "ledger" in by_file.stdout, by_file.stderr
    home = tmp_path / "home"
    home.mkdir()
    _pgpass(home / ".pgpass", server, PG_PASSWORD)
    by_home = run("inspect", url, env={"HOME": str(home)})
    assert by_home.returncode == 0 and "ledger" in by_home.stdout, by_home.stderr
    by_variable = run("inspect", url, env={"PGPASSWORD": PG_PASSWORD})
    assert by_variable.returncode == 0 and "ledger" in by_variable.stdout, by_variable.stderr

    services = tmp_path / "pg_service.conf"
    services.write_text(
        f"[books]\nhost={server.host}\nport={server.port}\nuser=postgres\ndbname={server.database}\n", encoding="utf-8"
    )
    by_service = run("inspect", "postgresql:///?service=books", env={"PGSERVICEFILE": str(services),
                                                                      "PGPASSFILE": str(pgpass)})  # fmt: skip
    assert by_service.returncode == 0 and "ledger" in by_service.stdout, by_service.stderr
    for result in (refused, wrong, by_file, by_home, by_variable, by_service):
        assert PG_PASSWORD not in result.stdout + result.stderr


@pytest.mark.postgresql
def test_migrations_replay_on_a_password_server_with_pgpass(
    password_server: PasswordServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The scratch database is created by schemaudit and filled by a child process; both find
    the password in the .pgpass file, and no process started gets it in its argv."""
    server = password_server
    monkeypatch.setenv("PGPASSFILE", str(_pgpass(tmp_path / "pgpass", server, PG_PASSWORD)))
    scratch = f"postgresql://postgres@{server.host}:{server.port}/postgres"
    started: list[str] = []

    def hook(event: str, args: tuple[object, ...]) -> None:
        if event == "subprocess.Popen" and watching:
            started.append(repr(args[1]))

    watching = True
    sys.addaudithook(hook)
    try:
        schema = load(
            f"alembic:{ANIME / 'alembic.ini'}",
            LoadOptions(scratch_url=scratch),
        )
    finally:
        watching = False
    assert schema.dialect == "postgresql" and any(t.name == "anime" for t in schema.tables)
    assert started and not [argv for argv in started if PG_PASSWORD in argv]
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))  # and without it, the server refuses
    with pytest.raises(SchemauditError, match="no password supplied"):
        load(f"alembic:{ANIME / 'alembic.ini'}", LoadOptions(scratch_url=scratch, revision="0012"))
