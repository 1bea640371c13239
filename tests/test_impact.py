"""`schemaudit impact` and `audit --code`: which files and lines use a renamed or missing name.

Real SQLite databases built from `tests/data/impact/{target,current}.sql`, a real code tree
copied from `tests/data/impact/code` (plus the files that must be skipped, made at test time
so the repository's own .gitignore cannot drop them), real subprocesses. The markdown and JSON
outputs are golden files: `SCHEMAUDIT_UPDATE_GOLDEN=1` rewrites them after a deliberate change.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from schemaudit.audit import audit, load_config
from schemaudit.impact import Kind, SearchName, find_impact, search_names
from schemaudit.impact.listing import language
from schemaudit.impact.scan import make_plan, read_code, search_bytes
from schemaudit.model import Schema
from schemaudit.sources import load
from tests.test_audit_golden import check_or_update
from tests.test_audit_report import table_rows
from tests.test_cli import assert_one_line_error, run

DATA = Path(__file__).parent / "data" / "impact"
REPORT_SCHEMA = Path(__file__).parent.parent / "docs" / "report.schema.json"
HUGE = 2 * 1024 * 1024 + 10


def make_db(sql_file: Path, db_file: Path) -> Path:
    conn = sqlite3.connect(db_file)
    try:
        conn.executescript(sql_file.read_text(encoding="utf-8"))
    finally:
        conn.close()
    return db_file


@dataclass(frozen=True)
class Case:
    cwd: Path
    code: Path

    def args(self, *extra: str) -> list[str]:
        return ["--target", "sqlite:///target.db", "--current", "sqlite:///current.db", *extra]

    def schemas(self) -> tuple[Schema, Schema]:
        return load(f"sqlite:///{self.cwd / 'target.db'}"), load(f"sqlite:///{self.cwd / 'current.db'}")


def build_case(root: Path) -> Case:
    """The fixture in `root`: target.db, current.db and code/ with the files to skip."""
    make_db(DATA / "target.sql", root / "target.db")
    make_db(DATA / "current.sql", root / "current.db")
    code = root / "code"
    shutil.copytree(DATA / "code", code)
    for rel, content in (
        ("node_modules/left-pad/index.js", "module.exports = function users() {};\n"),
        ("build/generated.py", 'TABLE = "users"\n'),
        ("app/notes.local.py", 'SQL = "SELECT * FROM users"\n'),  # *.local.py is in code/.gitignore
        (".venv/lib/site.py", "users = 1\n"),
    ):
        (code / rel).parent.mkdir(parents=True, exist_ok=True)
        (code / rel).write_text(content, encoding="utf-8")
    (code / "app" / "blob.json").write_bytes(b'{"users": 1}\x00\x01\x02')
    (code / "sql" / "dump.sql").write_bytes(b"INSERT INTO users VALUES (1);\n" * (HUGE // 30 + 1))
    return Case(root, code)


@pytest.fixture
def case(tmp_path: Path) -> Case:
    return build_case(tmp_path)


# ---- what is looked for -----------------------------------------------------------------


def test_names_come_from_renames_and_missing_objects(case: Case) -> None:
    target, current = case.schemas()
    names = {(n.kind.value, n.qualified, n.new_name, n.code) for n in search_names(audit(target, current))}
    assert names == {
        ("table", "users", "app_users", "SA102"),
        ("table", "cost_events", None, "SA101"),
        ("column", "projects.user_id", "owner_user_id", "SA112"),
        ("column", "runs.mode", "run_mode", "SA112"),
        ("column", "runs.model", "model_name", "SA112"),
        ("column", "runs.meta_json", "metadata_json", "SA112"),
        ("column", "runs.started_at", None, "SA111"),
    }


def test_a_rule_turned_off_in_config_sends_nobody_to_the_code(case: Case, tmp_path: Path) -> None:
    config_file = tmp_path / "config.toml"
    config_file.write_text('[tool.schemaudit.severity]\nSA112 = "off"\n', encoding="utf-8")
    target, current = case.schemas()
    names = search_names(audit(target, current, load_config(config_file)))
    assert names and all(n.kind is Kind.TABLE or n.code != "SA112" for n in names)
    assert not any(n.name == "mode" for n in names)


def test_column_context_rules(case: Case) -> None:
    target, current = case.schemas()
    by_name = {n.name: n for n in search_names(audit(target, current))}
    assert not by_name["mode"].standalone  # an ordinary word needs its table in the same file
    assert by_name["meta_json"].standalone  # compound and in no other table: counts on its own
    assert by_name["user_id"].standalone  # only projects has a user_id column
    assert set(by_name["mode"].tables) == {"runs", "Run", "Runs"}


# ---- how it is matched ------------------------------------------------------------------


def _names() -> tuple[SearchName, ...]:
    return (
        SearchName(Kind.TABLE, "app_users", "users", "app_users", "SA102", "users"),
        SearchName(Kind.COLUMN, "runs", "mode", "run_mode", "SA112", "runs", ("runs", "Run", "Runs"), False),
        SearchName(Kind.COLUMN, "runs", "final_output_path", "final_asset_id", "SA112", "runs", ("runs",), True),
    )


def uses(text: str, known: tuple[str, ...] = ("users", "runs", "projects", "app_users")) -> list[tuple[int, str]]:
    """The word-level stage alone (the precise stage has its own tests)."""
    plan = replace(make_plan(_names(), known), precise=False)
    return [(h.line, h.spelling) for h in search_bytes(text.encode(), "f.py", plan)]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("SELECT * FROM users", ["users"]),
        ('SELECT * FROM "users"', ["users"]),
        ("SELECT * FROM `users`", ["users"]),
        ("SELECT * FROM [users]", ["users"]),
        ("SELECT * FROM 'users'", ["users"]),
        ("SELECT * FROM public.users", ["users"]),
        ("SELECT * FROM USERS", ["USERS"]),  # SQL in capitals
        ("users", ["users"]),  # first byte of the file
        ("x = app_users + users_archive + users2 + Users", []),  # longer names and other spellings
        ("const $users = fetchUsers()", []),  # `$` is part of a JavaScript identifier
        ("éusers", []),  # a non-ASCII letter is part of the identifier
        ("final_output_path = 1", ["final_output_path"]),  # distinctive: no context needed
        ("my_final_output_path = 1", []),
    ],
)
def test_identifier_boundaries(line: str, expected: list[str]) -> None:
    assert [s for _, s in uses(line)] == expected


def test_a_bare_column_name_needs_its_table_in_the_file() -> None:
    assert uses("mode = 'fast'\n") == []
    assert uses("mode = 'fast'\nq = 'SELECT id FROM runs'\n") == [(1, "mode")]
    assert uses("class Run(Base):\n    mode = Column(Text)\n") == [(2, "mode")]  # the ORM class names the table


def test_a_column_qualified_by_another_table_is_not_a_use() -> None:
    assert uses("print(projects.mode)\nq = 'FROM runs'\n") == []  # projects.mode is another column
    assert uses('print("runs"."mode")\n') == [(1, "mode")]  # qualified by its own table: context enough
    assert uses("r.mode\nFROM runs r\n") == [(1, "mode")]  # an alias is no table: the file names runs


def test_line_numbers_columns_and_text_with_crlf_and_latin1() -> None:
    plan = make_plan(_names(), ("users",))
    data = b"-- caf\xe9\r\n\r\n  SELECT * FROM users;  \r\n"
    (hit,) = search_bytes(data, "q.sql", plan)
    assert (hit.line, hit.column, hit.text) == (3, 17, "SELECT * FROM users;")


def test_a_very_long_line_is_cut_around_the_use() -> None:
    plan = make_plan(_names(), ("users",))
    data = ("x" * 5000 + " users " + "y" * 5000).encode()
    (hit,) = search_bytes(data, "min.js", plan)
    assert "users" in hit.text and len(hit.text) <= 202 and hit.column == 5002


# ---- which files ------------------------------------------------------------------------


def _git(cwd: Path, *args: str) -> str:
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(cwd)}
    return subprocess.run(
        ["git", "-c", "core.excludesFile=/dev/null", "-c", "user.email=t@example.invalid", "-c", "user.name=t", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
        text=True,
        env=env,
    ).stdout


def test_a_git_work_tree_is_listed_by_git(case: Case) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    _git(case.code, "init", "-q")
    (case.code / ".git" / "info" / "exclude").write_text("web/\n", encoding="utf-8")
    _git(case.code, "add", "app", "api", "sql/queries.sql", "-f")  # force-add a file .gitignore names
    (case.code / "vendor").mkdir()
    (case.code / "vendor" / "lib.py").write_text("users = 1\n", encoding="utf-8")
    _git(case.code, "add", "-f", "vendor/lib.py")  # tracked, but vendored code is never ours to edit
    _git(case.code, "commit", "-q", "-m", "x")
    (case.code / "app" / "models.py").unlink()  # tracked, deleted from the work tree
    target, current = case.schemas()
    impact = find_impact(audit(target, current), case.code)
    assert impact.listing.startswith("git")
    files = {h.path for h in impact.hits}
    assert "app/notes.local.py" in files  # tracked: git lists it although .gitignore names it
    assert "scripts/export.json" in files  # untracked and not ignored
    assert not any(f.startswith(("web/", "vendor/", "node_modules/", "build/")) for f in files)
    assert ("app/models.py", "unreadable: No such file or directory") in {(s.path, s.reason) for s in impact.skipped}


def test_the_walk_skips_ignored_and_vendored_files(case: Case) -> None:
    target, current = case.schemas()
    impact = find_impact(audit(target, current), case.code)
    assert impact.listing.startswith("a folder walk")
    files = {h.path for h in impact.hits}
    assert not any(f.startswith(("node_modules/", "build/", ".venv/")) or f.endswith(".local.py") for f in files)
    assert {(s.path, s.reason) for s in impact.skipped} == {
        ("app/blob.json", "binary (NUL byte)"),
        ("sql/dump.sql", f"larger than 2 MiB ({(case.code / 'sql' / 'dump.sql').stat().st_size:,} bytes)"),
    }


GITIGNORE_TREE = {
    ".gitignore": "*.log\n!keep.log\n/root_only.txt\ndocs/*.tmp\n**/cache/\ndeep/**/x.txt\ntemp?/\n"
    "[ab]file.txt\n[!c-e]name.txt\nbuild_*/\n\\#hash.txt\ntrailing.txt   \ndironly/\nstar/**\n",
    "a.log": "",
    "keep.log": "",
    "root_only.txt": "",
    "sub/root_only.txt": "",
    "docs/a.tmp": "",
    "docs/more/a.tmp": "",
    "x/cache/c.py": "",
    "cache.py": "",
    "deep/x.txt": "",
    "deep/a/b/x.txt": "",
    "deep/a/y.txt": "",
    "temp1/f.py": "",
    "temp12/f.py": "",
    "afile.txt": "",
    "cfile.txt": "",
    "aname.txt": "",
    "dname.txt": "",
    "build_x/f.py": "",
    "#hash.txt": "",
    "trailing.txt": "",
    "dironly/f.py": "",
    "sub/dironly": "",
    "star/a/b.py": "",
    "sub/.gitignore": "*.py\n!keep.py\n/local.txt\n",
    "sub/x.py": "",
    "sub/keep.py": "",
    "sub/local.txt": "",
    "sub/deeper/local.txt": "",
    "sub/deeper/y.py": "",
    "plain.py": "",
}


def test_the_gitignore_matcher_agrees_with_git(tmp_path: Path) -> None:
    """The walk and `git ls-files --others --exclude-standard` list the same files."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    from schemaudit.impact.listing import _walk

    for rel, content in GITIGNORE_TREE.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(content, encoding="utf-8")
    walked = set(_walk(tmp_path))
    _git(tmp_path, "init", "-q")
    by_git = set(_git(tmp_path, "ls-files", "--others", "--exclude-standard").splitlines())
    assert walked == by_git
    assert "keep.log" in walked and "a.log" not in walked and "sub/keep.py" in walked  # the checks bite


# ---- files that are not searched ---------------------------------------------------------


def test_unreadable_and_special_files_are_skipped_with_a_reason(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.sql")
    (tmp_path / "link.py").symlink_to(tmp_path / "missing.py")
    assert read_code(tmp_path / "pipe.sql", "pipe.sql", 100).reason == "not a regular file"  # type: ignore[union-attr]
    assert read_code(tmp_path / "link.py", "link.py", 100).reason == "symbolic link, not followed"  # type: ignore[union-attr]
    assert read_code(tmp_path / "gone.py", "gone.py", 100).reason == "unreadable: No such file or directory"  # type: ignore[union-attr]


def test_a_file_without_read_permission_is_skipped(tmp_path: Path) -> None:
    """As root every file is readable, so there the check runs in a forked child that has
    given up root for the `nobody` user (the interpreter is already loaded: no exec)."""
    import pwd

    secret = tmp_path / "secret.py"
    secret.write_text("users = 1\n", encoding="utf-8")
    secret.chmod(0o000)
    if os.geteuid() != 0:
        reason = read_code(secret, "secret.py", 1000)
        assert getattr(reason, "reason", None) == "unreadable: Permission denied"
        return
    try:
        nobody = pwd.getpwnam("nobody")
    except KeyError:
        pytest.skip("no `nobody` user to run the check as")
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: drop root, try, report through the pipe, exit without cleanup
        status = 1
        try:
            os.close(read_end)
            os.setgroups([])
            os.setgid(nobody.pw_gid)
            os.setuid(nobody.pw_uid)
            outcome = read_code(secret, "secret.py", 1000)
            os.write(write_end, str(getattr(outcome, "reason", "read")).encode())
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        said = pipe.read().decode()
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert said == "unreadable: Permission denied"


# ---- the command ------------------------------------------------------------------------


def test_impact_markdown_golden(case: Case) -> None:
    result = run("impact", "--code", "code", *case.args("--format", "md"), cwd=case.cwd)
    assert result.returncode == 1, result.stderr  # some code uses a changing name
    assert result.stderr == ""
    check_or_update(DATA / "expected_impact.md", result.stdout)
    rows = table_rows(result.stdout)
    assert rows and all(header == cells for header, cells in rows)


def test_impact_json_golden(case: Case) -> None:
    out = case.cwd / "impact.json"
    result = run("impact", "--code", "code", *case.args("-o", "impact.json"), cwd=case.cwd)
    assert result.returncode == 1 and result.stdout == "" and result.stderr == "", result
    check_or_update(DATA / "expected_impact.json", out.read_text(encoding="utf-8"))
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["format"] == "schemaudit-impact" and data["version"] == 1


def test_impact_text_and_fail_on_never(case: Case) -> None:
    result = run("impact", "--code", "code", *case.args("--fail-on", "never"), cwd=case.cwd)
    assert result.returncode == 0, result.stderr
    assert "code/app/db.py:7" in result.stdout and "users → app_users" in result.stdout
    assert "\x1b[" not in result.stdout


def test_no_use_exits_0(case: Case) -> None:
    empty = case.cwd / "empty"
    empty.mkdir()
    (empty / "ok.py").write_text("print('nothing to see')\n", encoding="utf-8")
    result = run("impact", "--code", "empty", *case.args(), cwd=case.cwd)
    assert result.returncode == 0, result.stderr
    assert "No code uses a renamed or missing name." in result.stdout


def test_consistent_schemas_leave_nothing_to_look_for(case: Case) -> None:
    args = ["--target", "sqlite:///current.db", "--current", "sqlite:///current.db"]
    result = run("impact", "--code", "code", *args, cwd=case.cwd)
    assert result.returncode == 0, result.stderr
    assert "there is no name to look for in code" in result.stdout


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["--code", "nope"], ("code folder nope does not exist",)),
        (["--code", "target.db"], ("code folder target.db is not a folder",)),
        (["--code", "code", "--jobs", "0"], ("--jobs must be 1 or more",)),
        (["--code", "code", "--format", "md", "-o", "x.json"], ("conflicting options",)),
        (["--code", "code", "--max-file-size", "lots"], ("not a size",)),
    ],
)
def test_bad_input_is_one_line_and_exit_2(case: Case, args: list[str], fragments: tuple[str, ...]) -> None:
    assert_one_line_error(run("impact", *args, *case.args(), cwd=case.cwd), *fragments)


def test_a_missing_code_folder_fails_before_any_database_is_read(case: Case) -> None:
    result = run("audit", "--code", "nope", "--target", "sqlite:///absent.db", "--current", "sqlite:///absent.db")
    assert_one_line_error(result, "code folder nope does not exist")


def test_max_file_size_option(case: Case) -> None:
    result = run("impact", "--code", "code", *case.args("--max-file-size", "1K", "--format", "json"), cwd=case.cwd)
    skipped = {s["path"] for s in json.loads(result.stdout)["skipped"]}
    assert "code/app/db.py" in skipped and "code/sql/queries.sql" not in skipped


def test_parallel_and_serial_searches_agree(case: Case) -> None:
    target, current = case.schemas()
    result = audit(target, current)
    assert find_impact(result, case.code, jobs=1) == find_impact(result, case.code, jobs=3)


# ---- the section in the audit reports -----------------------------------------------------


def test_audit_with_code_adds_the_section_to_every_format(case: Case) -> None:
    md = run("audit", *case.args("--code", "code", "--format", "md"), cwd=case.cwd).stdout
    section = md.split("Files requiring code changes", 1)[1]
    golden = (DATA / "expected_impact.md").read_text(encoding="utf-8").split("\n", 1)[1]
    assert golden.strip() in section
    text = run("audit", *case.args("--code", "code"), cwd=case.cwd).stdout
    assert "files requiring code changes under code" in text and "code/sql/queries.sql:4" in text
    data = json.loads(run("audit", *case.args("--code", "code", "--format", "json"), cwd=case.cwd).stdout)
    assert data["impact"] == {
        k: v
        for k, v in json.loads((DATA / "expected_impact.json").read_text(encoding="utf-8")).items()
        if k not in ("format", "version")
    }
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.validate(
        data, json.loads(REPORT_SCHEMA.read_text(encoding="utf-8")), cls=jsonschema.Draft202012Validator
    )
    plain = json.loads(run("audit", *case.args("--format", "json"), cwd=case.cwd).stdout)
    assert "impact" not in plain  # without --code the report is as before


def test_quiet_prints_nothing_but_the_report(case: Case) -> None:
    loud = run("audit", *case.args("--code", "code", "-o", "r.md"), cwd=case.cwd)
    assert loud.stdout.startswith("INCONSISTENT:") and "report written to r.md" in loud.stdout
    quiet = run("audit", *case.args("--code", "code", "-o", "r.md", "--quiet"), cwd=case.cwd)
    assert quiet.returncode == 1 and quiet.stdout == "" and quiet.stderr == ""


def test_progress_goes_to_a_terminal_on_stderr_and_never_to_stdout(case: Case) -> None:
    import pty

    def on_tty(*extra: str) -> tuple[subprocess.CompletedProcess[bytes], bytes]:
        primary, secondary = pty.openpty()
        try:
            result = subprocess.run(
                [sys.executable, "-m", "schemaudit.cli", "audit", *case.args("--code", "code", *extra)],
                cwd=case.cwd,
                stdout=subprocess.PIPE,
                stderr=secondary,
                timeout=120,
                check=False,
            )
            os.close(secondary)
            chunks = []
            while True:
                try:
                    chunk = os.read(primary, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                chunks.append(chunk)
            return result, b"".join(chunks)
        finally:
            os.close(primary)

    shown, terminal = on_tty("--format", "json")
    assert shown.returncode == 1
    json.loads(shown.stdout)  # stdout is the report and nothing else
    assert b"searching code under code" in terminal
    quiet, silent = on_tty("--format", "json", "--quiet")
    assert quiet.stdout == shown.stdout and silent == b""


def test_the_pre_commit_hook_runs_the_audit_command() -> None:
    """`.pre-commit-hooks.yaml` names the console script pyproject.toml installs."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib

    repo = Path(__file__).parent.parent
    hook: dict[str, str] = {}
    for line in (repo / ".pre-commit-hooks.yaml").read_text(encoding="utf-8").splitlines():
        if line.startswith(("- ", "  ")) and ":" in line:
            key, _, value = line.lstrip("- ").partition(":")
            hook[key.strip()] = value.strip()
    assert hook["id"] == "schemaudit-audit" and hook["language"] == "python" and hook["pass_filenames"] == "false"
    script, command = hook["entry"].split()
    scripts = tomllib.loads((repo / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert scripts[script] == "schemaudit.cli:main" and command == "audit"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("a/b.py", "Python"),
        ("x.PY", "Python"),
        ("a/b.pyi", "Python"),
        ("a/b.d.ts", "TypeScript"),
        ("x/.hidden.js", "JavaScript"),
        ("a/b.SQL", "SQL"),
        ("x/y.yaml", "YAML"),
        (".py", "text"),
        ("a/.py", "text"),
        ("dir.py/file", "text"),
        ("noext", "text"),
        ("foo.", "text"),
    ],
)
def test_a_files_language_is_its_suffix(path: str, expected: str) -> None:
    assert language(path) == expected
