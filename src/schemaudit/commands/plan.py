"""`schemaudit plan --target SRC --current SRC --dialect D`: write the migration plan.

Output by `-o`: none -> the SQL script on stdout; `FILE.sql` -> one script; `DIR` -> a plan
folder (numbered SQL files, manifest, target snapshot) that `schemaudit apply` runs;
with `--format alembic`: `FILE.py`, or a folder (an Alembic `versions/` directory) to put
the revision in. Inputs are read first and nothing is written until the plan is built.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from schemaudit.commands import helptext
from schemaudit.commands.common import add_pair_options, config_with_hints, load_pair, output_path, pair_inputs
from schemaudit.errors import SchemauditError
from schemaudit.files import refuse_input_as_output, write_atomic, write_stdout


def register(commands: argparse._SubParsersAction[Any]) -> None:
    p = commands.add_parser(
        "plan",
        help="write the ordered, dialect-aware migration from current to target",
        epilog=helptext.PAIR_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_pair_options(p, dialect_option=False)  # --dialect below is the plan's, and models are built for it
    p.add_argument("--dialect", help="postgresql, mysql (MariaDB) or sqlite (default: the current schema's)")
    p.add_argument("--format", choices=("sql", "alembic"), default="sql", help="SQL (default) or an Alembic revision")
    p.add_argument(
        "-o",
        "--output",
        type=output_path,
        help="FILE.sql, a plan folder, or FILE.py / versions dir for alembic (- = stdout, the default)",
    )
    p.add_argument(
        "--check", action="store_true", help="exit 1 when the plan has steps (there is something to do), else 0"
    )
    p.add_argument("--allow-drop", action="store_true", help="plan drops of tables and columns (data loss)")
    p.add_argument("--sqlite-version", metavar="X.Y.Z", help="the SQLite the plan runs on (default: this library's)")
    p.add_argument("--concurrent-indexes", action="store_true", help="PostgreSQL: CREATE INDEX CONCURRENTLY")
    p.add_argument(
        "--fill",
        action="append",
        default=[],
        metavar="TABLE.COLUMN=SQL_EXPR",
        help="values for a column that becomes NOT NULL (existing rows; NULLs of an existing column)",
    )
    p.add_argument(
        "--no-data-checks",
        action="store_true",
        help="do not count, in a live current database, the rows that would make a step fail",
    )
    p.add_argument("--date", metavar="YYYY-MM-DD", help="date in the step ids (default: today)")
    p.add_argument(
        "--down-revision",
        help="alembic: the revision this one follows (default: the head of an alembic: current, or the "
        "revision a live current's alembic_version holds)",
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from schemaudit.audit import audit
    from schemaudit.audit.config import parse_fill
    from schemaudit.plan import PlanOptions, build, dialects
    from schemaudit.progress import progress as steps_on_stderr
    from schemaudit.terminal import color_wanted

    sqlite_version = _version(args.sqlite_version)
    day = _date(args.date)
    dialect = dialects.canonical(args.dialect) if args.dialect else None
    refuse_input_as_output(args.output, pair_inputs(args))
    config = config_with_hints(args)
    fills = dict(((t.lower(), c.lower()), (t, c, e)) for t, c, e in config.fills)
    fills.update(((t.lower(), c.lower()), (t, c, e)) for t, c, e in (parse_fill(f) for f in args.fill))
    _check_project_dialect(args.current, args.scratch_url)
    with steps_on_stderr(False, color_wanted(sys.stderr)) as steps:  # drawn only at a terminal
        target, current, _, current_options = load_pair(args, steps)
    dialect = dialect or current.dialect
    options = PlanOptions(
        dialect=dialect,
        allow_drop=args.allow_drop,
        date=day,
        sqlite_version=sqlite_version,
        concurrent_indexes=args.concurrent_indexes,
        dependent_sql=_dependents(args.current, current.dialect),
        fills=tuple(fills.values()),
        schema=_plan_schema(args, dialect),
    )
    result = audit(target, current, config)
    if dialect == "postgresql" and any(_to_timestamptz(c) for c in result.changes.actionable):
        options = replace(options, time_zone=_time_zone(args.current, args.current_schema or args.schema))
    if dialect == "postgresql" and any(_adds_enum_values(c) for c in result.changes.actionable):
        version = _setting(args.current, args.current_schema or args.schema, "SHOW server_version_num")
        options = replace(options, server_version=int(version) if version and version.isdigit() else None)
    plan = build(result.changes, result.target, result.current, options)
    if not args.no_data_checks:
        _check_data(plan, args.current, args.current_schema)
    where = _write(plan, args, current_options)
    summary = f"plan: {len(plan.steps)} step(s), highest risk {plan.risk.value if plan.steps else 'none'}"
    if plan.kept:
        summary += f", {len(plan.kept)} change(s) kept"
    if where:
        print(f"{summary}; written to {where}")
    return 1 if args.check and (plan.steps or plan.kept) else 0


def _to_timestamptz(change: Any) -> bool:
    from schemaudit.diff import changes as ch
    from schemaudit.model import TypeFamily

    return (
        isinstance(change, ch.ModifyColumn)
        and change.from_.type.family is TypeFamily.TIMESTAMP
        and change.to.type.family is TypeFamily.TIMESTAMPTZ
    )


def _adds_enum_values(change: Any) -> bool:
    from schemaudit.diff.object_changes import ModifyObject

    return isinstance(change, ModifyObject) and change.kind == "enum" and "values" in change.what


def _time_zone(spec: str, schema: str | None) -> str | None:
    """The TimeZone a session on the live current database starts with (read-only), which
    is the zone a timestamp column becoming timestamptz is read in."""
    return _setting(spec, schema, "SHOW TimeZone")


def _setting(spec: str, schema: str | None, query: str) -> str | None:
    """One setting of a session on the live current database (read-only); None when the
    current side is no live database."""
    from schemaudit.apply.db import open_session
    from schemaudit.sources import is_live

    if not is_live(spec):
        return None
    session = open_session(spec, schema, read_only=True)
    try:
        return str(session.execute(query)[0][0])
    finally:
        session.close()


def _plan_schema(args: argparse.Namespace, dialect: str) -> str | None:
    """PostgreSQL: the schema the plan runs in. The current side's when named; for a current
    side that is no live database (a DDL file, a snapshot), the target's; `public` (the
    default) is no schema to name."""
    from schemaudit.sources import is_live

    if dialect != "postgresql":
        return None
    name = args.current_schema or args.schema or (None if is_live(args.current) else args.target_schema)
    return None if name in (None, "public") else name


def _check_data(plan: Any, spec: str, schema: str | None) -> None:
    """Where the current side is a live database, count the rows that would make a step fail
    (read-only) and stop before writing a plan that cannot run."""
    from schemaudit.sources import is_live

    checks = [c for step in plan.steps for c in step.data_checks]
    if not checks or not is_live(spec):
        return
    from schemaudit.apply.db import open_session
    from schemaudit.apply.preflight import count_rows, stop_on

    session = open_session(spec, schema, read_only=True)
    try:
        found, skipped = count_rows(session, checks)
    finally:
        session.close()
    for line in skipped:
        print(line, file=sys.stderr)
    stop_on(found, "no plan written")


def _write(plan: Any, args: argparse.Namespace, current_options: Any) -> str | None:
    out: Path | None = args.output
    if args.format == "alembic":
        from schemaudit.plan import alembic_script  # imported only when asked for

        text = alembic_script.render(plan, down_revision=_down_revision(args, current_options))
        if out is None:
            write_stdout(text)
            return None
        path = out / alembic_script.file_name(plan) if out.is_dir() or not out.suffix else out
        if not out.suffix:
            out.mkdir(parents=True, exist_ok=True)
        _save(path, text)
        return str(path)
    from schemaudit.plan import folder, render_sql

    if out is None:
        write_stdout(render_sql.script(plan))
        return None
    if out.suffix.lower() == ".sql":
        _save(out, render_sql.script(plan))
        return str(out)
    try:
        folder.write(plan, out)
    except OSError as exc:
        raise SchemauditError(f"cannot write plan folder {out}: {exc.strerror or exc}") from None
    return f"{out}/"


def _down_revision(args: argparse.Namespace, current_options: Any) -> str | None:
    """The revision the new one follows: --down-revision, else the head(s) of the current
    side's history (an alembic: source, or the versions a live database's alembic_version
    holds). Never None where there is a history: that would be a second root."""
    from schemaudit.sources import is_live, kind_of

    if args.down_revision:
        return str(args.down_revision)
    if kind_of(args.current) == "alembic":
        from schemaudit.sources.alembic.source import history

        return history(args.current, current_options).head
    if is_live(args.current):
        from schemaudit.sources.markers import read_markers

        recorded = [m for m in read_markers(args.current, args.current_schema or args.schema) if m.tool == "Alembic"]
        if recorded and recorded[0].entries:
            return ",".join(recorded[0].entries)
    return None


def _check_project_dialect(spec: str, scratch_url: str | None) -> None:
    """An alembic: current replayed on the default scratch database (a temporary SQLite) for a
    project that runs on PostgreSQL or MySQL would give a plan (and a revision) for the wrong
    database: PRAGMAs in a PostgreSQL project. Checked before anything is replayed; a
    --scratch-url is the user's own choice of database."""
    from schemaudit.sources import kind_of

    if kind_of(spec) != "alembic" or scratch_url:
        return
    replayed = "sqlite"
    from schemaudit.sources.alembic.project import find_project
    from schemaudit.sources.alembic.source import locate

    location = locate(spec)
    try:
        project = find_project(Path(location.ini) if location.ini else Path(location.folder).parent)
    except SchemauditError:
        return  # no project around the migrations: the scratch database is all there is to go by
    if project.dialect is not None and project.dialect != replayed:
        example = (
            "postgresql://postgres@127.0.0.1/postgres"
            if project.dialect == "postgresql"
            else "mysql+pymysql://root@127.0.0.1/"
        )
        raise SchemauditError(
            f"{spec} runs on {project.dialect} ({project.dialect_reason}), but its history was replayed on "
            f"{replayed}: give --scratch-url {example} so the plan is written for {project.dialect}"
        )


def _save(path: Path, text: str) -> None:
    write_atomic(path, text)


def _version(text: str | None) -> tuple[int, int, int] | None:
    if text is None:
        return None
    from schemaudit.plan.dialects.sqlite import parse_version

    try:
        return parse_version(text)
    except ValueError as exc:
        raise SchemauditError(f"--sqlite-version: {exc}") from None


def _date(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise SchemauditError(f"--date {text!r} is not a date like 2026-02-21") from None


def _dependents(spec: str, dialect: str) -> tuple[tuple[str, str, str, str], ...]:
    """Triggers and views of a live SQLite current, read-only: a table rebuild drops the
    table's triggers, and the plan must create them again."""
    if dialect != "sqlite":
        return ()
    from contextlib import closing

    from schemaudit.sources import kind_of
    from schemaudit.sources.live.sqlite import open_reading, sqlite_path

    if kind_of(spec) != "sqlite":
        return ()
    with closing(open_reading(sqlite_path(spec))) as conn:
        rows = conn.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE type IN ('trigger', 'view') AND sql IS NOT NULL "
            "ORDER BY type, name"
        ).fetchall()
    return tuple((str(a), str(b), str(c), str(d)) for a, b, c, d in rows)
