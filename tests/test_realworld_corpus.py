"""The real-world schemas of `../shared/corpus/realworld/` (its README's checks 1-3 and 6).

Each schema is built with the database's own client, exactly as its project publishes it
(psql for pg_dump files, the mariadb client for MySQL dumps with their executable comments
and `source` lines, SQLite's library for the SQLite schemas). Then:
1. every table the catalog has is in the model (an FTS virtual table's shadow tables are the
   virtual table's, which is listed as not audited);
2. the file as a `ddl:` source against the database built from it: zero findings;
3. the database against itself: zero findings, exit 0 with `--fail-on info`;
6. Synapse PostgreSQL against Synapse SQLite: exactly the real differences, each named below.
Skipped without the corpus, a server, a client or PostGIS; under SCHEMAUDIT_REQUIRE_SERVERS=1
each of those fails instead.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from tests.conftest import REQUIRE_SERVERS, ScratchDb, corpus_file
from tests.test_cli import run

_FTS_SHADOW = re.compile(r"_(content|docsize|segdir|segments|stat|data|idx|config)$")


def _missing(what: str) -> None:
    if REQUIRE_SERVERS:
        pytest.fail(f"SCHEMAUDIT_REQUIRE_SERVERS=1 but {what}")
    pytest.skip(what)


def _client(*names: str) -> str:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    _missing(f"no {' or '.join(names)} client on PATH")
    raise AssertionError  # unreachable: _missing raises


def _psql(db: ScratchDb, path: Path) -> None:
    url = make_url(db.url).set(drivername="postgresql").render_as_string(hide_password=False)
    done = subprocess.run(
        [_client("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", str(path), url],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr


def _mariadb(db: ScratchDb, path: Path, rename: str) -> None:
    """Pipe the dump to the client from its own folder (`source` finds its files), with the
    dump's database name replaced by the scratch one; --force goes past the `source` of data
    files the corpus does not publish, as the client's user would."""
    u = make_url(db.url)
    text = re.sub(
        rf"(?im)^((?:DROP (?:DATABASE|SCHEMA) IF EXISTS|CREATE (?:DATABASE|SCHEMA)(?: IF NOT EXISTS)?|USE) ){rename}\b",
        rf"\g<1>{db.name}",
        path.read_text(encoding="utf-8"),
    )
    text = text.replace(f" {rename}.", f" {db.name}.")  # sakila's views name their tables `sakila.film`
    args = [_client("mariadb", "mysql"), "--force", f"-h{u.host or '127.0.0.1'}", f"-P{u.port or 3306}"]
    args += [f"-u{u.username or 'root'}"] + ([f"-p{u.password}"] if u.password else []) + [db.name]
    subprocess.run(args, input=text, capture_output=True, text=True, timeout=300, cwd=path.parent)


def _audit(target: str, current: str, *extra: str) -> tuple[int, list[dict[str, object]]]:
    done = run("audit", "--target", target, "--current", current, "--fail-on", "info", "--format", "json", *extra)
    assert done.stdout, done.stderr
    return done.returncode, json.loads(done.stdout)["findings"]


def _assert_checks_2_and_3(ddl: str, url: str) -> None:
    for target in (ddl, url):
        code, findings = _audit(target, url)
        assert findings == [] and code == 0, (target, findings)


def _assert_text_objects(ddl: str, url: str) -> int:
    """Check 2 without --scratch-url, for the objects: every function, trigger, sequence, enum
    type and extension the database has is read from the file's text, or listed there as not
    audited (a view, a WHEN); the number read is returned."""
    from schemaudit.model_objects import kind_label, object_name, object_table
    from schemaudit.sources import load

    file, live = load(ddl), load(url)
    listed = {(o.kind, o.name, o.table) for o in file.not_audited}
    read = 0
    for field in ("extensions", "enums", "sequences", "routines", "triggers"):
        names = {(kind_label(o), object_name(o), object_table(o)) for o in getattr(file.objects, field)}
        wanted = {(kind_label(o), object_name(o), object_table(o)) for o in getattr(live.objects, field)}
        assert names == wanted - listed, field
        read += len(names)
    return read


def _inspect_tables(url: str, tmp_path: Path) -> set[str]:
    out = tmp_path / "snapshot.json"
    done = run("inspect", url, "-o", str(out))
    assert done.returncode == 0, done.stderr
    return {t["name"] for t in json.loads(out.read_text())["schema"]["tables"]}


# --- PostgreSQL ---------------------------------------------------------------------------


def _pg_tables(db: ScratchDb) -> set[str]:
    import psycopg

    url = make_url(db.url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition"
            " AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass"
            " AND d.objid = c.oid AND d.deptype = 'e')"
        ).fetchall()
    return {r[0] for r in rows}


@pytest.mark.postgresql
@pytest.mark.parametrize("version", ["54", "72"])
def test_synapse_postgresql(pg_db: ScratchDb, tmp_path: Path, version: str) -> None:
    path = corpus_file("realworld", "synapse", version, "full.sql.postgres")
    _psql(pg_db, path)
    assert _inspect_tables(pg_db.url, tmp_path) == _pg_tables(pg_db)
    _assert_checks_2_and_3(f"ddl:{path}?dialect=postgresql", pg_db.url)
    assert _assert_text_objects(f"ddl:{path}?dialect=postgresql", pg_db.url) == {"54": 0, "72": 12}[version]


@pytest.mark.postgresql
def test_pagila_postgresql(pg_db: ScratchDb, tmp_path: Path) -> None:
    """Pagila as the test server can build it (`tests.test_ddl_source`), without
    --scratch-url: its 9 functions, 16 triggers, 13 sequences and enum type compare with the
    database's from the text, views and the aggregate are listed. No finding: PostgreSQL stores
    the generated `round(length / 60.0, 2)` with the implicit cast it resolved,
    `round(((length)::numeric / 60.0), 2)`, and the differ knows the two for one."""
    from tests.test_ddl_source import _pagila_for_postgresql_15

    path = tmp_path / "pagila.sql"
    path.write_text(_pagila_for_postgresql_15(), encoding="utf-8")
    _psql(pg_db, path)
    assert _inspect_tables(pg_db.url, tmp_path) == _pg_tables(pg_db)
    ddl = f"ddl:{path}?dialect=postgresql"
    _, findings = _audit(ddl, pg_db.url)
    assert findings == []
    assert _assert_text_objects(ddl, pg_db.url) == 9 + 16 + 13 + 1


@pytest.mark.postgresql
def test_openstreetmap_postgresql(pg_db: ScratchDb, tmp_path: Path) -> None:
    path = corpus_file("realworld", "openstreetmap", "structure.sql")
    import psycopg

    url = make_url(pg_db.url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(url) as conn:
        postgis = conn.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'").fetchone()
    if postgis is None:
        _missing("PostGIS is not installed (apt-get install postgresql-15-postgis-3)")
    _psql(pg_db, path)
    assert _inspect_tables(pg_db.url, tmp_path) == _pg_tables(pg_db)
    _assert_checks_2_and_3(f"ddl:{path}?dialect=postgresql", pg_db.url)
    assert (
        _assert_text_objects(f"ddl:{path}?dialect=postgresql", pg_db.url) == 2 + 8 + 2
    )  # extensions, enums, functions


# --- SQLite -------------------------------------------------------------------------------


def _sqlite(path: Path, tmp_path: Path) -> Path:
    db = tmp_path / "built.db"
    with sqlite3.connect(db) as conn:
        conn.executescript(path.read_text(encoding="utf-8"))
    return db


@pytest.mark.parametrize("version", ["54", "72"])
def test_synapse_sqlite(tmp_path: Path, version: str) -> None:
    path = corpus_file("realworld", "synapse", version, "full.sql.sqlite")
    db = _sqlite(path, tmp_path)
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'").fetchall()
    virtual = {name for name, sql in rows if sql and sql.upper().startswith("CREATE VIRTUAL TABLE")}
    shadow = {name for name, _ in rows if _FTS_SHADOW.sub("", name) in virtual and name not in virtual}
    tables = {name for name, _ in rows if not name.startswith("sqlite_")} - virtual - shadow
    assert _inspect_tables(f"sqlite:///{db}", tmp_path) == tables
    _assert_checks_2_and_3(f"ddl:{path}?dialect=sqlite", f"sqlite:///{db}")


# --- MariaDB / MySQL ----------------------------------------------------------------------


def _my_tables(db: ScratchDb) -> set[str]:
    from tests.conftest import _pymysql_connect

    conn = _pymysql_connect(db.url)
    try:
        with conn.cursor() as cur:
            cur.execute(
                "SELECT table_name FROM information_schema.tables"
                " WHERE table_schema = %s AND table_type = 'BASE TABLE'",
                (db.name,),
            )
            return {r[0] for r in cur.fetchall()}
    finally:
        conn.close()


@pytest.mark.mysql
@pytest.mark.parametrize(
    ("folder", "name", "database", "lenient"),
    [
        ("sakila", "sakila-mv-schema.sql", "sakila", False),
        # employees `source`s data files the corpus does not publish: read leniently, they are
        # listed as unreadable statements (the published ones are read)
        ("employees", "employees.sql", "employees", True),
        ("employees", "employees_partitioned.sql", "employees", True),
    ],
)
def test_mysql_dumps(mysql_db: ScratchDb, tmp_path: Path, folder: str, name: str, database: str, lenient: bool) -> None:
    path = corpus_file("realworld", folder, name)
    _mariadb(mysql_db, path, database)
    assert _inspect_tables(mysql_db.url, tmp_path) == _my_tables(mysql_db)
    flavor = "mariadb" if "mariadb" in _server_version(mysql_db).lower() else "mysql"
    query = f"dialect={flavor}" + ("&lenient=1" if lenient else "")
    _assert_checks_2_and_3(f"ddl:{path}?{query}", mysql_db.url)


@pytest.mark.mysql
def test_sakila_objects_planned_from_empty(mysql_db: ScratchDb, tmp_path: Path) -> None:
    """Check 4 for Sakila's objects: from an empty database, plan + apply reproduce every
    view, trigger, function and procedure as SHOW CREATE prints it, and a second plan is empty."""
    from tests.conftest import MYSQL_URL, _pymysql_connect, _with_database
    from tests.convergence import judge

    _mariadb(mysql_db, corpus_file("realworld", "sakila", "sakila-mv-schema.sql"), "sakila")
    empty = f"{mysql_db.name}_e"
    admin = _pymysql_connect(MYSQL_URL, database="")
    try:
        with admin.cursor() as cur:
            cur.execute(f"CREATE DATABASE `{empty}`")
        empty_url = _with_database(MYSQL_URL, empty)
        plan = tmp_path / "plan"
        done = run("plan", "--target", mysql_db.url, "--current", empty_url, "-o", str(plan))
        assert done.returncode == 0, done.stderr
        done = run("apply", "--plan", str(plan), "--db", empty_url, "--no-backup")
        assert done.returncode == 0, done.stderr
        with admin.cursor() as cur:
            built, migrated = judge.mysql(cur, mysql_db.name), judge.mysql(cur, empty)
        objects = {k: v for k, v in built.items() if not k.startswith("table ")}
        kinds = sorted(k.split()[0] for k in objects)
        assert kinds == ["function"] * 3 + ["procedure"] * 3 + ["trigger"] * 3 + ["view"] * 7
        assert {k: migrated.get(k) for k in objects} == objects  # 16 of 16, as the server prints them
        assert set(migrated) == set(built)
        # Sakila's tables say DEFAULT CHARSET=utf8 (utf8mb3, not the database's utf8mb4): the
        # plan carries each table's default charset and collation, so every table is identical
        tables = [k for k in built if k.startswith("table ")]
        assert len(tables) == 16
        assert [k for k in tables if migrated[k] != built[k]] == []
        done = run("plan", "--target", mysql_db.url, "--current", empty_url, "--check")
        assert done.returncode == 0, done.stdout + done.stderr
        # check 2 with the objects: the file, run on a scratch database, against the database
        # built from it by the client (which drops the comments of routine bodies)
        path = corpus_file("realworld", "sakila", "sakila-mv-schema.sql")
        flavor = "mariadb" if "mariadb" in _server_version(mysql_db).lower() else "mysql"
        code, findings = _audit(
            f"ddl:{path}?dialect={flavor}", mysql_db.url, "--scratch-url", _with_database(MYSQL_URL, "")
        )
        assert findings == [] and code == 0, findings
    finally:
        with admin.cursor() as cur:
            cur.execute(f"DROP DATABASE IF EXISTS `{empty}`")
        admin.close()


def _server_version(db: ScratchDb) -> str:
    from tests.conftest import _pymysql_connect

    conn = _pymysql_connect(db.url)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT VERSION()")
            return str(cur.fetchone()[0])
    finally:
        conn.close()


# --- check 6: one schema, two databases -----------------------------------------------------

# Every difference between Synapse's PostgreSQL and SQLite schemas, each a real one: tables
# Synapse creates on PostgreSQL only, full-text tables that are FTS virtual tables on SQLite,
# partial indexes SQLite's schema writes as full ones, nullability that differs, and
# `stream_ordering INTEGER PRIMARY KEY` on SQLite where PostgreSQL has a unique index.
EXPECTED = {
    "54": [
        ("SA101", "cache_invalidation_stream", None),
        ("SA107", "event_search", None),
        ("SA107", "user_directory_search", None),
        ("SA173", "current_state_events", "state_key"),
        ("SA173", "event_push_actions", None),
        ("SA173", "events", None),
        ("SA173", "local_media_repository", "created_ts"),
    ],
    "72": [
        ("SA101", "cache_invalidation_stream_by_instance", None),
        ("SA101", "instance_map", None),
        ("SA107", "event_search", None),
        ("SA107", "user_directory_search", None),
        ("SA111", "receipts_linearized", "instance_name"),
        ("SA131", "room_depth", "min_depth"),
        ("SA146", "events", None),
        ("SA172", "events", "stream_ordering"),
    ],
}


@pytest.mark.postgresql
@pytest.mark.parametrize("version", ["54", "72"])
def test_synapse_postgresql_against_sqlite(pg_db: ScratchDb, tmp_path: Path, version: str) -> None:
    _psql(pg_db, corpus_file("realworld", "synapse", version, "full.sql.postgres"))
    db = _sqlite(corpus_file("realworld", "synapse", version, "full.sql.sqlite"), tmp_path)
    _, found = _audit(pg_db.url, f"sqlite:///{db}")
    # tables, columns, keys and indexes (SA1xx); objects beyond tables (SA2xx: Synapse's
    # PostgreSQL trigger and its SQLite counterpart) are judged by their own tests
    findings = [f for f in found if str(f["code"]).startswith("SA1")]
    assert sorted((f["code"], f["table"], f["column"]) for f in findings) == EXPECTED[version], findings
    # an index pair is compared by name: the message names the same index on both sides
    for f in findings:
        if f["code"] == "SA173":
            names = re.findall(r"Index (\S+) on .* target (\S+) ", str(f["message"]))
            assert names and names[0][0] == names[0][1], f["message"]


@pytest.mark.postgresql
def test_synapse_full_text_tables_read_alike_in_every_format(pg_db: ScratchDb, tmp_path: Path) -> None:
    """Synapse's two FTS4 tables are virtual tables on SQLite: "other kind" (SA107) in every
    format, not missing. Counted 4 missing in the terminal, JSON and HTML ("4 tables will be
    created") while the markdown scorecard said 2, and no step creates them."""
    from schemaudit.audit import audit
    from schemaudit.report import render
    from schemaudit.sources import load
    from tests.test_report_consistency import FORMATS, assert_same_table_counts

    _psql(pg_db, corpus_file("realworld", "synapse", "72", "full.sql.postgres"))
    db = _sqlite(corpus_file("realworld", "synapse", "72", "full.sql.sqlite"), tmp_path)
    result = audit(load(pg_db.url), load(f"sqlite:///{db}"))
    out = {fmt: render(result, fmt) for fmt in FORMATS}
    counts = assert_same_table_counts(out)
    assert counts == {"matching": 126, "differ": 4, "missing": 2, "other kind": 2}, counts
    fts = {"event_search", "user_directory_search"}
    data = json.loads(out["json"])
    assert {t["name"]: t["note"] for t in data["tables"] if t["state"] == "other kind"} == dict.fromkeys(
        fts, "virtual table in the current schema"
    )
    assert {f["table"] for f in data["findings"] if f["code"] == "SA107"} == fts
    created = " ".join(s["description"] for s in data["plan"]["steps"])
    assert not any(name in created for name in fts), created
    missing = re.search(r"^missing 2 +(.*)$", out["text"], flags=re.M)
    assert missing and not fts & set(missing.group(1).split(", ")), missing
