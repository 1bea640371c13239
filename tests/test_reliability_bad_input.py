"""Reliability: a corpus of bad inputs across every source kind and every command.

Each case runs the CLI in-process and must give exactly one line on stderr, exit 2, no
traceback, no "internal error" (that is a bug), and leave no output file behind (nor change
one that was there). The corpus is built from a list of bad sources, each tried through the
commands that read a source, plus bad options and bad plan folders per command.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

from schemaudit.cli import main

pytestmark = pytest.mark.reliability

GOOD_DB = "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO t VALUES (1, 'a');"
TARGET_DB = "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL, extra TEXT DEFAULT 'x');"
SNAPSHOT_HEAD = '{"format": "schemaudit-snapshot", "version": 1, "schema": '


def _db(path: Path, sql: str) -> None:
    with closing(sqlite3.connect(path)) as conn:
        conn.executescript(sql)


def _files(d: Path) -> None:
    """Every bad (and a few good) input the corpus names, in one folder."""
    _db(d / "good.db", GOOD_DB)
    _db(d / "target.db", TARGET_DB)
    (d / "folder.db").mkdir()
    (d / "text.db").write_text("this is not a database\n" * 50)
    (d / "garbage.db").write_bytes(bytes(range(256)) * 40)
    data = (d / "good.db").read_bytes()
    (d / "truncated.db").write_bytes(data[:100])
    (d / "corrupt.db").write_bytes(data[:100] + b"\xff" * (len(data) - 100))
    # snapshots
    (d / "empty.json").write_text("")
    (d / "notjson.json").write_text("{ this is not json")
    (d / "array.json").write_text("[1, 2, 3]")
    (d / "null.json").write_text("null")
    (d / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    (d / "deepschema.json").write_text(SNAPSHOT_HEAD + '{"tables": ' + "[" * 50_000 + "]" * 50_000 + "}}")
    (d / "bignum.json").write_text(SNAPSHOT_HEAD + '{"tables": [], "dialect": ' + "9" * 5000 + "}}")
    (d / "otherformat.json").write_text('{"format": "something-else", "version": 1}')
    (d / "newversion.json").write_text('{"format": "schemaudit-snapshot", "version": 99, "schema": {}}')
    (d / "unknownfield.json").write_text(SNAPSHOT_HEAD + '{"tables": [], "colour": "blue"}}')
    (d / "wrongtype.json").write_text(SNAPSHOT_HEAD + '{"tables": "t"}}')
    (d / "badtable.json").write_text(SNAPSHOT_HEAD + '{"tables": [{"name": 5}]}}')
    (d / "badenum.json").write_text(
        SNAPSHOT_HEAD
        + '{"tables": [{"name": "t", "columns": [{"name": "c", "type": {"raw": "x", "family": "nope"}}]}]}}'
    )
    (d / "binary.json").write_bytes(b"\x00\xff\xfe" * 100)
    (d / "latin1.json").write_bytes('{"format": "caf\xe9"}'.encode("latin-1"))
    # DDL
    (d / "binary.sql").write_bytes(b"\x00\x01\x02\xff" * 100)
    (d / "latin1.sql").write_bytes("CREATE TABLE caf\xe9 (id int);".encode("latin-1"))
    (d / "nottables.sql").write_text("SELECT 1; SELEC broken (((;")
    (d / "folder.sql").mkdir()
    # specs
    (d / "spec.md").write_text("# Spec\n\n## 5. Database\n\n### users\n\n| Column | Type |\n|---|---|\n| id | uuid |\n")
    (d / "binary.md").write_bytes(b"\x00\xff" * 100)
    (d / "nospec.md").write_text("# Nothing here\n\nJust prose.\n")
    (d / "badrow.md").write_text(
        "# Spec\n\n### users\n\n| Column | Type |\n|---|---|\n| id | uuid |\n| | |\n| email varchar( | |\n"
    )
    # python
    (d / "fns.py").write_text(
        "import sys, os\n"
        "def raises(conn):\n    raise RuntimeError('boom')\n"
        "def exits(conn):\n    sys.exit(3)\n"
        "def dies(conn):\n    os._exit(9)\n"
        "def nothing(conn):\n    pass\n"
        "def bad_sql(conn):\n    conn.execute('CREATE TABLE (((')\n"
        "not_a_function = 5\n"
    )
    (d / "syntax.py").write_text("def broken(:\n")
    # models
    pkg = d / "modelspkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "raises.py").write_text("raise ImportError('no settings configured')\n")
    (pkg / "syntax.py").write_text("class (:\n")
    (pkg / "exits.py").write_text("import sys\nsys.exit('bye')\n")
    (pkg / "plain.py").write_text("Base = 5\nthing = object()\n")
    (pkg / "dies.py").write_text("import os\nos._exit(4)\n")
    # alembic
    (d / "noscript.ini").write_text("[alembic]\nsqlalchemy.url = sqlite://\n")
    (d / "badini.ini").write_text("this is [not an ini\n= =\n")
    (d / "missingdir.ini").write_text("[alembic]\nscript_location = nowhere\n")
    versions = d / "mig" / "versions"
    versions.mkdir(parents=True)
    (versions / "a1_first.py").write_text(
        'revision = "a1"\ndown_revision = None\nfrom alembic import op\n'
        "def upgrade():\n    raise RuntimeError('this revision fails')\n"
    )
    cyc = d / "cycle" / "versions"
    cyc.mkdir(parents=True)
    (cyc / "x1.py").write_text('revision = "x1"\ndown_revision = "x2"\ndef upgrade():\n    pass\n')
    (cyc / "x2.py").write_text('revision = "x2"\ndown_revision = "x1"\ndef upgrade():\n    pass\n')
    # config files
    (d / "bad.toml").write_text("[tool.schemaudit\nx = = 1\n")
    (d / "deep.toml").write_text("[tool.schemaudit]\nx = " + "[" * 50_000 + "]" * 50_000 + "\n")
    (d / "unknown.toml").write_text("[tool.schemaudit]\nflavour = 'strawberry'\n")
    (d / "badseverity.toml").write_text("[tool.schemaudit]\nseverity = { SA101 = 'catastrophic' }\n")
    (d / "binary.toml").write_bytes(b"\xff\xfe\x00" * 30)


BAD_SOURCES: dict[str, str] = {
    # sqlite
    "sqlite-missing": "sqlite:///{d}/missing.db",
    "sqlite-bare-missing": "{d}/missing.db",
    "sqlite-folder": "sqlite:///{d}/folder.db",
    "sqlite-text": "sqlite:///{d}/text.db",
    "sqlite-garbage": "{d}/garbage.db",
    "sqlite-truncated": "sqlite:///{d}/truncated.db",
    "sqlite-corrupt": "sqlite:///{d}/corrupt.db",
    "sqlite-memory": "sqlite:///:memory:",
    "sqlite-empty": "sqlite://",
    "sqlite-host": "sqlite://somehost/{d}/good.db",
    # postgresql
    "pg-refused": "postgresql://postgres@127.0.0.1:1/db",
    "pg-bad-port": "postgresql://postgres@127.0.0.1:notaport/db",
    "pg-unknown-host": "postgresql://postgres@no-such-host.invalid/db",
    "pg-no-database": "postgresql://postgres@127.0.0.1:5432/schemaudit_no_such_db_x",
    "pg-bad-timeout": "postgresql://postgres@127.0.0.1:5432/db?connect_timeout=soon",
    "pg-bad-option": "postgresql://postgres@127.0.0.1:5432/postgres?sslmode=sometimes",
    "pg-unknown-driver": "postgresql+nodriver://postgres@127.0.0.1/db",
    "pg-bad-schema-url": "postgresql://u:p@[::1/db",
    # mysql
    "mysql-charset": "mysql+pymysql://root@127.0.0.1:3306/mysql?charset=klingon",
    "mysql-refused": "mysql+pymysql://root@127.0.0.1:1/db",
    "mysql-denied": "mysql+pymysql://root:wrong@127.0.0.1:3306/mysql",
    "mysql-no-database": "mysql+pymysql://root@127.0.0.1:3306/schemaudit_no_such_db_x",
    "mysql-no-db-named": "mysql+pymysql://root@127.0.0.1:3306/",
    "mysql-bad-timeout": "mysql+pymysql://root@127.0.0.1:3306/mysql?read_timeout=-1",
    "mariadb-unknown-host": "mariadb://root@no-such-host.invalid/db",
    # snapshot
    "snap-missing": "snapshot:{d}/missing.json",
    "snap-folder": "snapshot:{d}",
    "snap-empty": "snapshot:{d}/empty.json",
    "snap-notjson": "snapshot:{d}/notjson.json",
    "snap-array": "snapshot:{d}/array.json",
    "snap-null": "{d}/null.json",
    "snap-deep": "snapshot:{d}/deep.json",
    "snap-deep-schema": "snapshot:{d}/deepschema.json",
    "snap-bignum": "snapshot:{d}/bignum.json",
    "snap-other-format": "snapshot:{d}/otherformat.json",
    "snap-new-version": "snapshot:{d}/newversion.json",
    "snap-unknown-field": "snapshot:{d}/unknownfield.json",
    "snap-wrong-type": "snapshot:{d}/wrongtype.json",
    "snap-bad-table": "snapshot:{d}/badtable.json",
    "snap-bad-enum": "snapshot:{d}/badenum.json",
    "snap-binary": "snapshot:{d}/binary.json",
    "snap-latin1": "snapshot:{d}/latin1.json",
    # ddl
    "ddl-missing": "ddl:{d}/missing.sql",
    "ddl-folder": "ddl:{d}/folder.sql",
    "ddl-binary": "ddl:{d}/binary.sql",
    "ddl-latin1": "{d}/latin1.sql",
    "ddl-bad-dialect": "ddl:{d}/nottables.sql?dialect=oracle7",
    "ddl-no-file": "ddl:",
    # spec
    "spec-missing": "spec:{d}/missing.md",
    "spec-binary": "spec:{d}/binary.md",
    "spec-no-tables": "spec:{d}/nospec.md",
    "spec-bad-fragment": "spec:{d}/spec.md#99",
    "spec-bad-dialect": "spec:{d}/spec.md?dialect=klingon",
    "spec-unreadable-row": "spec:{d}/badrow.md",
    # python
    "py-missing": "python:{d}/missing.py:init",
    "py-no-function": "python:{d}/fns.py",
    "py-unknown-function": "python:{d}/fns.py:absent",
    "py-not-callable": "python:{d}/fns.py:not_a_function",
    "py-raises": "python:{d}/fns.py:raises",
    "py-exits": "python:{d}/fns.py:exits",
    "py-dies": "python:{d}/fns.py:dies",
    "py-nothing": "python:{d}/fns.py:nothing",
    "py-bad-sql": "python:{d}/fns.py:bad_sql",
    "py-syntax": "python:{d}/syntax.py:broken",
    "py-bad-timeout": "python:{d}/fns.py:raises?timeout=never",
    # models
    "models-missing-module": "models:no_such_module_here:Base",
    "models-missing-attr": "models:modelspkg.plain:Absent",
    "models-not-base": "models:modelspkg.plain:thing",
    "models-raises": "models:modelspkg.raises:Base",
    "models-syntax": "models:modelspkg.syntax:Base",
    "models-exits": "models:modelspkg.exits:Base",
    "models-dies": "models:modelspkg.dies:Base",
    "models-malformed": "models:",
    # alembic
    "alembic-missing": "alembic:{d}/missing.ini",
    "alembic-no-script": "alembic:{d}/noscript.ini",
    "alembic-bad-ini": "alembic:{d}/badini.ini",
    "alembic-missing-dir": "alembic:{d}/missingdir.ini",
    "alembic-failing-revision": "alembic:{d}/mig/versions",
    "alembic-cycle": "alembic:{d}/cycle/versions",
    "alembic-empty": "alembic:",
    # kinds
    "unknown-kind": "oracle://scott:tiger@db/x",
    "no-kind": "{d}/README",
}

# user code costs a child process: these are tried through fewer commands
_CHILD = ("py-", "models-", "alembic-")


def _source_cases() -> list[tuple[str, list[str]]]:
    cases = []
    for name, spec in BAD_SOURCES.items():
        extra = ["--path", "{d}"] if name.startswith("models-") else []
        forms = [
            ("inspect", ["inspect", spec, *extra]),
            ("inspect-json", ["inspect", spec, *extra, "-o", "{d}/out/snapshot.json"]),
            ("audit-target", ["audit", "--target", spec, "--current", "{d}/good.db", *extra, "-o", "{d}/out/r.md"]),
            ("audit-current", ["audit", "--target", "{d}/target.db", "--current", spec, *extra, "--format", "json"]),
            ("plan-current", ["plan", "--target", "{d}/target.db", "--current", spec, *extra, "-o", "{d}/out/plan"]),
        ]
        if name.startswith(_CHILD):
            forms = forms[:1] + forms[2:3]
        cases.extend((f"{name}/{how}", argv) for how, argv in forms)
    return cases


def _plan_folder(d: Path) -> Path:
    folder = d / "plan"
    if not folder.exists():
        assert main(["plan", "--target", f"{d}/target.db", "--current", f"{d}/good.db", "-o", str(folder)]) == 0
    return folder


def _edited(change: Callable[[dict[str, object]], None]) -> Callable[[Path], None]:
    """A plan folder whose manifest was changed by `change`."""

    def setup(d: Path) -> None:
        manifest = _plan_folder(d) / "plan.json"
        data = json.loads(manifest.read_text())
        change(data)
        manifest.write_text(json.dumps(data))

    return setup


def _step(key: str, value: object) -> Callable[[dict[str, object]], None]:
    def change(data: dict[str, object]) -> None:
        steps = data["steps"]
        assert isinstance(steps, list)
        steps[0][key] = value

    return change


def _write(name: str, text: str | bytes) -> Callable[[Path], None]:
    def setup(d: Path) -> None:
        path = _plan_folder(d) / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text)

    return setup


def _remove(name: str) -> Callable[[Path], None]:
    def setup(d: Path) -> None:
        (_plan_folder(d) / name).unlink()

    return setup


def _append_to_step(d: Path) -> None:
    step = next(iter(sorted(_plan_folder(d).glob("2*.sql"))))
    step.write_text(step.read_text() + "DROP TABLE t;\n")


APPLY = ["apply", "--plan", "{d}/plan", "--db", "{d}/good.db", "--no-backup"]
PLAN_FOLDERS: dict[str, Callable[[Path], None]] = {
    "manifest-not-json": _write("plan.json", "{ nope"),
    "manifest-binary": _write("plan.json", b"\xff\x00" * 40),
    "manifest-deep": _write("plan.json", "[" * 100_000 + "]" * 100_000),
    "manifest-bignum": _write("plan.json", '{"format": "schemaudit-plan", "version": ' + "7" * 5000 + "}"),
    "manifest-array": _write("plan.json", "[]"),
    "manifest-other-format": _edited(lambda m: m.update(format="other")),
    "manifest-new-version": _edited(lambda m: m.update(version=2)),
    "manifest-bad-dialect": _edited(lambda m: m.update(dialect="oracle")),
    "manifest-dialect-mismatch": _edited(lambda m: m.update(dialect="postgresql")),
    "manifest-steps-object": _edited(lambda m: m.update(steps={"a": 1})),
    "manifest-steps-strings": _edited(lambda m: m.update(steps=["a", "b"])),
    "manifest-notes-object": _edited(lambda m: m.update(notes={"a": 1})),
    "step-no-id": _edited(lambda m: m["steps"][0].pop("id")),  # type: ignore[index]
    "step-id-number": _edited(_step("id", 5)),
    "step-file-traversal": _edited(_step("file", "../../../etc/passwd")),
    "step-file-absolute": _edited(_step("file", "/etc/hostname")),
    "step-file-missing": _edited(_step("file", "absent.sql")),
    "step-no-checksum": _edited(lambda m: m["steps"][0].pop("checksum")),  # type: ignore[index]
    "step-statements-string": _edited(_step("statements", "DROP TABLE t")),
    "step-statement-number": _edited(_step("statements", [5])),
    "step-statement-no-sql": _edited(_step("statements", [{"check": True}])),
    "step-row-checks-shape": _edited(_step("row_checks", [["t"]])),
    "step-row-checks-string": _edited(_step("row_checks", "t")),
    "step-row-checks-numbers": _edited(_step("row_checks", [[1, 2]])),
    "step-foreign-keys-injection": _edited(_step("foreign_keys", "off; DROP TABLE t")),
    "step-transactional-string": _edited(_step("transactional", "yes")),
    "step-expects-string": _edited(_step("expects", "t")),
    "step-expects-bad-columns": _edited(_step("expects", [{"table": "t", "columns": "id"}])),
    "step-data-checks-string": _edited(_step("data_checks", "x")),
    "step-extra-statement": _edited(lambda m: m["steps"][0]["statements"].append({"sql": "DROP TABLE t"})),  # type: ignore[index]
    "step-file-edited": _append_to_step,
    "target-missing": _remove("target.json"),
    "target-not-json": _write("target.json", "nope"),
    "target-deep": _write("target.json", "{" * 10 + "[" * 100_000),
    "manifest-missing": _remove("plan.json"),
}


def _option_cases() -> list[tuple[str, list[str]]]:
    pair = ["--target", "{d}/target.db", "--current", "{d}/good.db"]
    cases: dict[str, list[str]] = {
        "no-command": [],
        "unknown-command": ["frobnicate"],
        "inspect-no-source": ["inspect"],
        "inspect-bad-format": ["inspect", "{d}/good.db", "--format", "yaml"],
        "inspect-output-dir-missing": ["inspect", "{d}/good.db", "-o", "{d}/no/such/dir/s.json"],
        "inspect-output-is-input": ["inspect", "{d}/good.db", "-o", "{d}/good.db"],
        "inspect-output-is-folder": ["inspect", "{d}/good.db", "-o", "{d}/folder.db"],
        "inspect-bad-timeout": ["inspect", "{d}/good.db", "--timeout", "-3"],
        "audit-no-target": ["audit", "--current", "{d}/good.db"],
        "audit-no-current": ["audit", "--target", "{d}/good.db"],
        "audit-bad-format": ["audit", *pair, "--format", "pdf"],
        "audit-format-conflict": ["audit", *pair, "--format", "json", "-o", "{d}/out/r.md"],
        "audit-bad-fail-on": ["audit", *pair, "--fail-on", "sometimes"],
        "audit-baseline-missing": ["audit", *pair, "--baseline", "{d}/missing.json"],
        "audit-baseline-not-json": ["audit", *pair, "--baseline", "{d}/notjson.json"],
        "audit-baseline-deep": ["audit", *pair, "--baseline", "{d}/deep.json"],
        "audit-baseline-bignum": ["audit", *pair, "--baseline", "{d}/bignum.json"],
        "audit-baseline-snapshot": ["audit", *pair, "--baseline", "{d}/unknownfield.json"],
        "audit-baseline-binary": ["audit", *pair, "--baseline", "{d}/binary.json"],
        "audit-baseline-is-output": ["audit", *pair, "--baseline", "{d}/array.json", "-o", "{d}/array.json"],
        "audit-config-missing": ["audit", *pair, "--config", "{d}/missing.toml"],
        "audit-config-bad": ["audit", *pair, "--config", "{d}/bad.toml"],
        "audit-config-deep": ["audit", *pair, "--config", "{d}/deep.toml"],
        "audit-config-unknown-key": ["audit", *pair, "--config", "{d}/unknown.toml"],
        "audit-config-bad-severity": ["audit", *pair, "--config", "{d}/badseverity.toml"],
        "audit-config-binary": ["audit", *pair, "--config", "{d}/binary.toml"],
        "audit-rename-no-equals": ["audit", *pair, "--rename", "users"],
        "audit-rename-twice": ["audit", *pair, "--rename", "a=b", "--rename", "a=c"],
        "audit-rename-empty": ["audit", *pair, "--rename", "=b"],
        "audit-code-missing": ["audit", *pair, "--code", "{d}/no-such-code"],
        "audit-code-file": ["audit", *pair, "--code", "{d}/good.db"],
        "audit-output-dir-missing": ["audit", *pair, "-o", "{d}/no/such/r.md"],
        "audit-output-is-target": ["audit", *pair, "-o", "{d}/target.db"],
        "plan-bad-dialect": ["plan", *pair, "--dialect", "oracle"],
        "plan-wrong-dialect": ["plan", *pair, "--dialect", "postgresql"],
        "plan-bad-sqlite-version": ["plan", *pair, "--sqlite-version", "three"],
        "plan-bad-date": ["plan", *pair, "--date", "yesterday"],
        "plan-bad-date-format": ["plan", *pair, "--date", "2026-13-45"],
        "plan-bad-format": ["plan", *pair, "--format", "liquibase"],
        "plan-output-not-plan-folder": ["plan", *pair, "-o", "{d}/mig"],
        "plan-output-is-current": ["plan", *pair, "-o", "{d}/good.db"],
        "plan-bad-fill": ["plan", *pair, "--fill", "nonsense"],
        "plan-fill-unknown-column": ["plan", *pair, "--fill", "t.nope='x'"],
        "apply-no-plan": ["apply", "--db", "{d}/good.db"],
        "apply-plan-missing": ["apply", "--plan", "{d}/no-plan", "--db", "{d}/good.db"],
        "apply-plan-not-folder": ["apply", "--plan", "{d}/good.db", "--db", "{d}/good.db"],
        "apply-plan-empty-folder": ["apply", "--plan", "{d}/folder.db", "--db", "{d}/good.db"],
        "apply-db-missing": ["apply", "--plan", "{d}/plan", "--db", "{d}/missing.db"],
        "apply-db-folder": ["apply", "--plan", "{d}/plan", "--db", "{d}/folder.db"],
        "apply-db-text": ["apply", "--plan", "{d}/plan", "--db", "{d}/text.db", "--no-backup"],
        "apply-db-refused": ["apply", "--plan", "{d}/plan", "--db", "postgresql://postgres@127.0.0.1:1/db"],
        "apply-db-charset": [
            "apply",
            "--plan",
            "{d}/plan",
            "--db",
            "mysql+pymysql://root@127.0.0.1/mysql?charset=klingon",
        ],
        "apply-db-unknown-kind": ["apply", "--plan", "{d}/plan", "--db", "oracle://x@y/z"],
        "apply-sqlite-schema": [*APPLY, "--schema", "nope"],  # SQLite has one schema, main
        "apply-sqlite-schema-dry-run": [*APPLY, "--schema", "nope", "--dry-run"],
        "apply-bad-config": ["apply", "--plan", "{d}/plan", "--db", "{d}/good.db", "--config", "{d}/bad.toml"],
        "history-missing": ["history", "alembic:{d}/missing.ini"],
        "history-not-alembic": ["history", "{d}/good.db"],
        "history-failing-revision": ["history", "alembic:{d}/mig/versions", "--revision", "zzz"],
        "impact-missing-code": ["impact", *pair, "--code", "{d}/no-such-code"],
        "impact-no-code": ["impact", *pair],
        "impact-output-is-input": ["impact", *pair, "--code", "{d}/mig", "-o", "{d}/target.db"],
        "history-output-is-input": ["history", "alembic:{d}/noscript.ini", "-o", "{d}/noscript.ini"],
        "matrix-one-source": ["matrix", "{d}/good.db"],
        "matrix-missing-source": ["matrix", "{d}/good.db", "{d}/missing.db"],
        "matrix-unknown-kind": ["matrix", "{d}/good.db", "oracle://x@y/z"],
        "matrix-bad-format": ["matrix", "{d}/good.db", "{d}/target.db", "--format", "pdf"],
        "matrix-bad-fail-on": ["matrix", "{d}/good.db", "{d}/target.db", "--fail-on", "sometimes"],
        "matrix-label-count": ["matrix", "{d}/good.db", "{d}/target.db", "--label", "a"],
        "matrix-output-is-input": ["matrix", "{d}/good.db", "{d}/target.db", "-o", "{d}/good.db"],
        "matrix-output-dir-missing": ["matrix", "{d}/good.db", "{d}/target.db", "-o", "{d}/no/such/m.md"],
        "matrix-bad-snapshot": ["matrix", "{d}/good.db", "snapshot:{d}/notjson.json"],
        "check-missing": ["check", "{d}/missing.ini"],
        "check-not-alembic": ["check", "{d}/good.db"],
        "check-bad-ini": ["check", "{d}/badini.ini"],
        "check-bad-config": ["check", "{d}/noscript.ini", "--config", "{d}/bad.toml"],
    }
    cases.update({f"apply-{name}": APPLY for name in PLAN_FOLDERS})
    return list(cases.items())


CASES = _source_cases() + _option_cases()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("corpus")
    _files(d)
    return d


def _snapshot(d: Path) -> dict[str, bytes]:
    return {str(p.relative_to(d)): p.read_bytes() for p in sorted(d.rglob("*")) if p.is_file()}


def test_the_corpus_is_large() -> None:
    assert len(CASES) >= 250, len(CASES)


@pytest.mark.parametrize("name,argv", CASES, ids=[name for name, _ in CASES])
def test_bad_input_is_one_line_exit_2(
    name: str, argv: list[str], corpus: Path, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    d = tmp_path / "d"
    _copy(corpus, d)
    (d / "out").mkdir()
    setup = PLAN_FOLDERS.get(name.removeprefix("apply-"))
    if name.startswith("apply-"):
        _plan_folder(d)
    if setup is not None:
        setup(d)
    capfd.readouterr()
    before = _snapshot(d)
    code = _run([a.replace("{d}", str(d)) for a in argv])
    out, err = capfd.readouterr()
    lines = err.strip().splitlines()
    assert code == 2, (code, err, out[-500:])
    assert len(lines) == 1, err
    assert "Traceback" not in err and "internal error" not in err, err
    assert _snapshot(d) == before  # nothing written, nothing changed (no half file, no temp file)


def _run(argv: list[str]) -> int:
    try:
        return main(argv)
    except SystemExit as exc:  # argparse usage errors exit through SystemExit
        return int(exc.code or 0)


def _copy(source: Path, destination: Path) -> None:
    import shutil

    shutil.copytree(source, destination, symlinks=True)


def test_apply_schema_main_is_sqlite_s_own_schema(corpus: Path, tmp_path: Path) -> None:
    """`--schema main` names the one schema a SQLite file has: accepted, as leaving it out is."""
    d = tmp_path / "d"
    _copy(corpus, d)
    _plan_folder(d)
    argv = [a.replace("{d}", str(d)) for a in APPLY]
    assert _run([*argv, "--schema", "main", "--dry-run"]) == 0
    assert _run([*argv, "--schema", "MAIN"]) == 0
