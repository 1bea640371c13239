"""Terminal conventions as a person meets them: colour by NO_COLOR / FORCE_COLOR / --no-color
and the width of a real pseudo-terminal, `-o -`, `-` as a source, `-V`, help texts, shell
completion, `plan --check`, `apply --dry-run` and the confirmation before a risky apply."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import select
import shutil
import sqlite3
import struct
import subprocess
import sys
import termios
from contextlib import closing
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "creative-pipeline"
PAIR = ("--target", "spec:docs/TECH_SPEC.md#5", "--current", "python:scripts/backend.py:init_schema")
ANSI = re.compile(r"\x1b\[[0-9;]*m")  # colours and styles
CSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")  # any control sequence (the progress display's too)


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "COLUMNS", "LINES")}
    env["TERM"] = "xterm-256color"
    env.update(extra)
    return env


def in_terminal(*args: str, cwd: Path = EXAMPLE, columns: int = 100, answer: str | None = None, **env: str) -> str:
    """Run schemaudit with stdin, stdout and stderr on a real pseudo-terminal of `columns`
    columns; type `answer` when it asks; return everything the terminal showed."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    process = subprocess.Popen(
        [sys.executable, "-m", "schemaudit.cli", *args],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        cwd=cwd,
        env=_env(**env),
        close_fds=True,
    )
    os.close(slave)
    chunks: list[bytes] = []
    answered = answer is None
    while True:
        ready, _, _ = select.select([master], [], [], 60)
        if not ready:
            process.kill()
            pytest.fail("no output for 60 s")
        try:
            data = os.read(master, 65536)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
        if not answered and b"[y/N]" in b"".join(chunks):
            os.write(master, (answer or "").encode() + b"\n")
            answered = True
    os.close(master)
    process.wait(timeout=60)
    return b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n") + f"\n[exit {process.returncode}]"


def piped(*args: str, cwd: Path = EXAMPLE, stdin: str | None = None, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "schemaudit.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=_env(**env),
        input=stdin,
        timeout=120,
    )


def test_colour_at_a_terminal_and_none_with_no_color() -> None:
    coloured = in_terminal("audit", *PAIR, "--fail-on", "never")
    assert ANSI.search(coloured) and "INCONSISTENT" in coloured
    plain = in_terminal("audit", *PAIR, "--fail-on", "never", NO_COLOR="1")
    assert not ANSI.search(plain) and "INCONSISTENT" in plain
    flag = in_terminal("audit", *PAIR, "--fail-on", "never", "--no-color", FORCE_COLOR="1")
    assert not ANSI.search(flag), "--no-color beats FORCE_COLOR"
    dumb = in_terminal("inspect", "spec:docs/TECH_SPEC.md#5", TERM="dumb")
    assert not ANSI.search(dumb)


def test_force_color_colours_a_pipe_as_ci_logs_want() -> None:
    assert not ANSI.search(piped("audit", *PAIR, "--fail-on", "never").stdout)
    forced = piped("audit", *PAIR, "--fail-on", "never", FORCE_COLOR="1").stdout
    assert ANSI.search(forced) and "INCONSISTENT" in forced
    assert not ANSI.search(piped("audit", *PAIR, "--fail-on", "never", FORCE_COLOR="0").stdout)


@pytest.mark.parametrize("columns", [72, 150])
def test_the_report_fits_the_terminal_width(columns: int) -> None:
    shown = CSI.sub("", in_terminal("audit", *PAIR, "--fail-on", "never", columns=columns))
    widths = [len(line) for line in shown.splitlines()]
    assert max(widths) <= columns
    assert max(widths) > columns - 10, "the findings table uses the width it has"


def test_dash_output_means_stdout(tmp_path: Path) -> None:
    report = piped("audit", *PAIR, "-o", "-", "--format", "md", "--fail-on", "never")
    assert report.returncode == 0 and report.stdout.startswith("# ") and not (EXAMPLE / "-").exists()
    snap = piped("inspect", "spec:docs/TECH_SPEC.md#5", "-o", "-", "--format", "json")
    assert snap.stdout.lstrip().startswith("{")
    plan = piped("plan", *PAIR, "-o", "-", "--dialect", "sqlite")
    assert "-- schemaudit migration plan for sqlite" in plan.stdout
    history = piped("history", "alembic.ini", "-o", "-", cwd=ROOT / "examples" / "anime-catalog")
    assert "0013" in history.stdout and history.returncode == 0


def test_dash_source_reads_ddl_or_a_snapshot_from_stdin() -> None:
    ddl = "CREATE TABLE accounts (id serial PRIMARY KEY, email text NOT NULL UNIQUE);\n"
    shown = piped("inspect", "-", stdin=ddl)
    assert shown.returncode == 0, shown.stderr
    assert "<stdin>" in shown.stdout and "accounts" in shown.stdout and "postgresql" in shown.stdout
    snap = piped("inspect", "-", "--format", "json", stdin=ddl).stdout
    assert piped("inspect", "snapshot:-", stdin=snap).stdout.count("accounts") >= 1
    mysql = piped("inspect", "ddl:-?dialect=mysql", stdin="CREATE TABLE t (id INT PRIMARY KEY);")
    assert "dialect mysql" in mysql.stdout
    audit = piped("audit", "--target", "-", "--current", "-", stdin=ddl)
    assert audit.returncode == 2 and "only one source can be '-'" in audit.stderr
    assert audit.stderr.count("\n") == 1


def test_short_version_flag() -> None:
    short, long = piped("-V"), piped("--version")
    assert short.returncode == 0 and short.stdout == long.stdout and short.stdout.startswith("schemaudit ")


def test_help_describes_examples_source_kinds_exit_codes_and_debug() -> None:
    top = piped("--help").stdout
    for part in ("examples:", "schemaudit check", "source kinds", "alembic:alembic.ini", "exit codes:"):
        assert part in top
    assert "SCHEMAUDIT_DEBUG" in top and "NO_COLOR" in top
    for command in ("audit", "plan", "inspect"):
        text = piped(command, "--help").stdout
        assert "models:app.models:Base" in text and "snapshot:snap.json" in text, command
    assert "SCHEMAUDIT_DEBUG" in (ROOT / "README.md").read_text()


def test_schema_option_is_accepted_by_every_command_that_reads_a_schema() -> None:
    for command in ("inspect", "audit", "plan", "impact", "apply"):
        assert "--schema" in piped(command, "--help").stdout, command


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is needed to load the script")
def test_shell_completion_script_loads_in_bash() -> None:
    script = piped("--print-completion", "bash").stdout
    assert "audit" in script and "--target" in script
    loaded = subprocess.run(
        ["bash", "-c", "source /dev/stdin; complete -p schemaudit"], input=script, capture_output=True, text=True
    )
    assert loaded.returncode == 0 and "schemaudit" in loaded.stdout, loaded.stderr


def _sqlite(path: Path, sql: str) -> Path:
    with closing(sqlite3.connect(path)) as conn:
        conn.executescript(sql)
    return path


@pytest.fixture
def drop_plan(tmp_path: Path) -> tuple[Path, Path]:
    """A plan whose one step drops a table (high risk), and the database it runs on."""
    current = _sqlite(tmp_path / "c.db", "CREATE TABLE keep (id INTEGER PRIMARY KEY); CREATE TABLE old (id INTEGER);")
    target = _sqlite(tmp_path / "t.db", "CREATE TABLE keep (id INTEGER PRIMARY KEY);")
    made = piped("plan", "--target", str(target), "--current", str(current), "--allow-drop", "-o", "plan", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    return tmp_path / "plan", current


def _tables(db: Path) -> list[str]:
    with closing(sqlite3.connect(db)) as conn:
        return [r[0] for r in conn.execute("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")]


def test_plan_check_exits_1_when_there_is_something_to_do(tmp_path: Path) -> None:
    a = _sqlite(tmp_path / "a.db", "CREATE TABLE t (id INTEGER PRIMARY KEY);")
    b = _sqlite(tmp_path / "b.db", "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT);")
    assert piped("plan", "--check", "--target", str(b), "--current", str(a), cwd=tmp_path).returncode == 1
    same = piped("plan", "--check", "--target", str(a), "--current", str(a), cwd=tmp_path)
    assert same.returncode == 0, same.stderr


def test_apply_dry_run_prints_the_sql(drop_plan: tuple[Path, Path]) -> None:
    plan, db = drop_plan
    shown = piped("apply", "--plan", str(plan), "--db", str(db), "--dry-run")
    assert shown.returncode == 0, shown.stderr
    assert 'DROP TABLE "old";' in shown.stdout and "risk high" in shown.stdout
    assert _tables(db) == ["keep", "old"]


def test_a_high_risk_apply_asks_at_a_terminal(drop_plan: tuple[Path, Path]) -> None:
    plan, db = drop_plan
    refused = in_terminal("apply", "--plan", str(plan), "--db", str(db), cwd=plan.parent, answer="n")
    assert "[y/N]" in refused and "not applied" in refused and refused.endswith("[exit 1]")
    assert _tables(db) == ["keep", "old"]
    agreed = in_terminal("apply", "--plan", str(plan), "--db", str(db), cwd=plan.parent, answer="y")
    assert "converged" in agreed and agreed.endswith("[exit 0]"), agreed
    assert "old" not in _tables(db)


def test_yes_skips_the_question_and_a_pipe_never_waits(drop_plan: tuple[Path, Path], tmp_path: Path) -> None:
    plan, db = drop_plan
    shutil.copy(db, tmp_path / "copy.db")
    yes = in_terminal("apply", "--plan", str(plan), "--db", str(db), "--yes", cwd=tmp_path)
    assert "[y/N]" not in yes and "converged" in yes
    unattended = piped("apply", "--plan", str(plan), "--db", str(tmp_path / "copy.db"), cwd=tmp_path)
    assert unattended.returncode == 0 and "converged" in unattended.stdout


def test_pre_commit_hook_runs_only_when_a_source_file_changes() -> None:
    text = (ROOT / ".pre-commit-hooks.yaml").read_text()
    pattern = re.search(r"^\s*files:\s*'([^']+)'", text, re.MULTILINE)
    assert pattern, "the hook has a files: pattern"
    files = re.compile(pattern.group(1))
    for path in ("app/models/user.py", "alembic/versions/0001_x.py", "schema.sql", "docs/SPEC.md", "alembic.ini",
                 "pyproject.toml", "snap.json"):  # fmt: skip
        assert files.search(path), path
    for path in ("logo.png", "README.rst", "static/app.css", "Dockerfile"):
        assert not files.search(path), path


def test_piped_report_ends_with_the_verdict() -> None:
    """The verdict is the last line too, where the reader's eye is after the findings scrolled by."""
    default = piped("audit", *PAIR, "--fail-on", "never", "-q").stdout
    last = default.rstrip("\n").splitlines()[-1]
    assert re.fullmatch(r"INCONSISTENT  \d+ critical, \d+ warning, \d+ info", last), last
    assert default.splitlines()[0] == last


def _findings_json() -> list[dict[str, str]]:
    report = piped("audit", *PAIR, "--format", "json", "--fail-on", "never")
    findings: list[dict[str, str]] = json.loads(report.stdout)["findings"]
    return findings


def test_at_100_columns_no_name_is_cut_and_each_finding_cites_its_line() -> None:
    shown = CSI.sub("", in_terminal("audit", *PAIR, "--fail-on", "never", "-q", columns=100))
    lines = shown.splitlines()
    assert max(len(line) for line in lines) <= 100
    words = {word for line in lines for word in line.split()}
    findings = _findings_json()
    names = {n for f in findings for n in re.findall(r"[a-z_][a-z0-9_.]*[a-z0-9_]", f["message"]) if "_" in n}
    assert len(names) > 50
    cut = sorted(n for n in names if not any(n in word for word in words))
    assert not cut, f"names cut across lines: {cut[:5]}"
    cited = [f for f in findings if f["origin"]]
    assert cited and all(any(f["origin"] in line and f["code"] in line for line in lines) for f in cited)
    assert re.fullmatch(r"INCONSISTENT  \d+ critical, \d+ warning, \d+ info", lines[-3]), lines[-3:]


def test_min_severity_hides_findings_but_not_their_count() -> None:
    everything = piped("audit", *PAIR, "--fail-on", "never", "-q").stdout
    info = int(re.findall(r", (\d+) info$", everything, flags=re.M)[-1])
    assert info > 10 and re.search(r"^INFO +SA\d+ ", everything, flags=re.M)
    shown = piped("audit", *PAIR, "--fail-on", "never", "-q", "--min-severity", "warning").stdout
    assert not re.search(r"^INFO +SA\d+ ", shown, flags=re.M) and re.search(r"^WARNING +SA\d+ ", shown, flags=re.M)
    assert f"{info} findings below warning not shown" in shown
    assert shown.splitlines()[0] == everything.splitlines()[0] == shown.splitlines()[-1]
    assert f", {info} info" in shown.splitlines()[-1]
    critical = piped("audit", *PAIR, "--fail-on", "never", "-q", "--min-severity", "critical").stdout
    assert not re.search(r"^(INFO|WARNING) +SA\d+ ", critical, flags=re.M)
    assert re.search(r"^CRITICAL +SA\d+ ", critical, flags=re.M)


def test_a_piped_report_takes_its_width_from_columns() -> None:
    default = piped("audit", *PAIR, "--fail-on", "never", "-q").stdout.splitlines()
    assert 100 < max(len(line) for line in default) <= 120, "120 columns when nothing says otherwise"
    narrow = piped("audit", *PAIR, "--fail-on", "never", "-q", COLUMNS="90").stdout.splitlines()
    assert 80 < max(len(line) for line in narrow) <= 90
    assert len(narrow) > len(default)


def test_no_color_at_a_terminal_still_fits_it() -> None:
    shown = CSI.sub("", in_terminal("audit", *PAIR, "--fail-on", "never", "-q", "--no-color", columns=100))
    assert not ANSI.search(shown) and max(len(line) for line in shown.splitlines()) <= 100


def test_history_fits_the_terminal_width() -> None:
    anime = ROOT / "examples" / "anime-catalog"
    shown = CSI.sub("", in_terminal("history", "alembic.ini", cwd=anime, columns=100))
    lines = shown.splitlines()
    assert max(len(line) for line in lines) <= 100
    assert "anime_episodes_external," in shown.split() and "0013" in shown
    whole = piped("history", "alembic.ini", cwd=anime).stdout
    assert max(len(line) for line in whole.splitlines()) > 100, "a pipe without COLUMNS keeps whole rows"
    columns = piped("history", "alembic.ini", cwd=anime, COLUMNS="100").stdout
    assert max(len(line) for line in columns.splitlines()) <= 100


@pytest.mark.parametrize("columns", [72, 100])
def test_no_color_variable_keeps_the_terminal_width_for_every_text_report(columns: int) -> None:
    """NO_COLOR turns colours off, not the terminal: audit, inspect, matrix and impact are
    drawn to the terminal's width as they are with colours (not the 120 columns of a file)."""
    audit = CSI.sub("", in_terminal("audit", *PAIR, "--fail-on", "never", columns=columns, NO_COLOR="1"))
    assert not ANSI.search(audit) and columns - 10 < max(len(line) for line in audit.splitlines()) <= columns
    for command in (
        ("inspect", "spec:docs/TECH_SPEC.md#5"),
        ("matrix", PAIR[1], PAIR[3]),
        ("impact", "--code", "scripts", *PAIR, "--fail-on", "never"),
    ):
        shown = CSI.sub("", in_terminal(*command, columns=columns, NO_COLOR="1"))
        assert not ANSI.search(shown) and "[exit 2]" not in shown, shown[-300:]
        assert max(len(line) for line in shown.splitlines()) <= columns, command


def test_check_at_100_columns_lists_tables_by_kind_one_ignore_reason_a_line() -> None:
    """`schemaudit check` in the anime catalogue at a 100-column terminal: the tables that
    differ one a line, the matching ones as one list, the nine ignored tables grouped by their
    pattern, each group on a line of its own with its reason (wrapping under the group, never
    running into the next), as in the markdown report's "Tables outside the audit"."""
    anime = ROOT / "examples" / "anime-catalog"
    shown = CSI.sub("", in_terminal("check", cwd=anime, columns=100))
    lines = shown.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("differ "))
    block = lines[start : lines.index("findings", start) - 1]
    assert max(len(line) for line in lines) <= 100, "the check: line on stderr too"
    assert lines[0].startswith("check: models:app.models:Base") and lines[1].startswith("  replayed on")
    assert block[0] == "differ 2     audit_logs ❌ gaps (1 critical, 1 warning)"
    assert block[1] == "             refresh_tokens ❌ gaps (1 critical)"
    assert block[2].startswith("matching 10  anime, episodes, favorites,")
    ignored = block[block.index(next(b for b in block if b.startswith("ignored 9    "))) :]
    entries = [line[13:] for line in ignored if not line[13:].startswith(" ")]  # continuations indent 2 more
    assert [e.split("  ")[0] for e in entries] == [
        "anime_episodes_external",
        "anime_external, anime_external_binding",
        "anime_schedule",
        "anime_translations",
        "parser_job_logs, parser_jobs, parser_settings, parser_sources",
    ]
    assert entries[0] == "anime_episodes_external  parser staging table: not modelled by design"
    assert all("·" not in line for line in block)
    assert "Tables ignored by configuration" not in shown, "counted once, in the tables block"


def test_a_big_schemas_matching_tables_take_three_lines(tmp_path: Path) -> None:
    """300 matching tables are three lines of names and how many more, not thirty."""
    from schemaudit.audit import audit
    from schemaudit.report import text
    from schemaudit.sources import load

    target = "\n".join(f"CREATE TABLE match_{i:03d} (id INTEGER PRIMARY KEY);" for i in range(300))
    (tmp_path / "target.sql").write_text(target, encoding="utf-8")
    (tmp_path / "current.sql").write_text(target + "\nCREATE TABLE spare (id INTEGER);", encoding="utf-8")
    found = audit(
        load(f"ddl:{tmp_path / 'target.sql'}?dialect=sqlite"), load(f"ddl:{tmp_path / 'current.sql'}?dialect=sqlite")
    )
    lines = text.render(found, width=100).splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("matching 300 "))
    block = lines[start : start + 4]
    assert block[0].startswith("matching 300 match_000, match_001,") and block[3] == ""
    more = re.search(r"… and (\d+) more$", block[2])
    assert more and max(len(line) for line in block) <= 100
    listed = [n for line in block for n in re.findall(r"match_\d{3}", line)]
    assert listed == [f"match_{i:03d}" for i in range(len(listed))] and len(listed) + int(more.group(1)) == 300
    assert "differ 1     spare \u2795 extra, not in target" in lines
