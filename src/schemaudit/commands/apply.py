"""`schemaudit apply --plan DIR --db URL [--dry-run] [--yes]`: run a plan folder, then prove it.

Prints one line per step as it is applied, then "converged" or the findings that remain.
`--dry-run` prints the SQL of every step that would run and changes nothing. At a terminal,
a plan whose pending steps include a high-risk one (data loss, a table rebuild) asks for
confirmation first; `--yes` answers it, and a run without a terminal (CI) never waits for it.
Exit 0 when the database now matches the plan's target, 1 when findings remain (kept drops,
changes the dialect could not express), 2 when a step fails or the input is unusable.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from schemaudit.commands.common import required
from schemaudit.commands.environment import add_env_option
from schemaudit.errors import SchemauditError


def register(commands: argparse._SubParsersAction[Any]) -> None:
    p = commands.add_parser("apply", help="apply a plan folder to a database and re-audit it")
    p.add_argument("--plan", required=True, type=Path, metavar="DIR", help="a folder written by schemaudit plan -o DIR")
    p.add_argument("--db", metavar="URL", help="the database to migrate (default: --env's current)")
    add_env_option(p)
    p.add_argument("--dry-run", action="store_true", help="print the SQL of the steps that would run; change nothing")
    p.add_argument("-y", "--yes", action="store_true", help="do not ask before applying high-risk steps")
    p.add_argument(
        "--schema",
        help="PostgreSQL schema / MySQL database (default: the plan's schema, else public / the URL's); "
        "SQLite: main only",
    )
    p.add_argument(
        "--config", type=Path, metavar="FILE", help="config for the re-audit (default: nearest pyproject.toml)"
    )
    p.add_argument(
        "--migrations-table",
        default="schemaudit_migrations",
        metavar="NAME",
        help="schemaudit's bookkeeping table (default: schemaudit_migrations; never another tool's)",
    )
    p.add_argument(
        "--no-data-checks",
        action="store_true",
        help="do not count the rows that would make a step fail before starting (the steps still fail on them)",
    )
    p.add_argument(
        "--fail-on",
        choices=("critical", "warning", "info", "never"),
        default="critical",
        help="exit 1 when a finding left after apply is at or above this severity, as audit does (default: critical)",
    )
    p.add_argument("--backup-to", metavar="FILE", help="SQLite: write the backup here (default: beside the file)")
    p.add_argument("--no-backup", action="store_true", help="SQLite: do not copy the file before changing it")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from schemaudit.apply.run import ApplyOptions, apply
    from schemaudit.audit import Severity, load_config
    from schemaudit.plan import folder as plan_folder

    required(args, "db")
    config = load_config(args.config)
    options = ApplyOptions(
        dry_run=True,
        schema=args.schema,
        config=config,
        backup=not args.no_backup,
        migrations_table=args.migrations_table,
        check_data=not args.no_data_checks,
        backup_to=args.backup_to,
    )
    preview = apply(args.plan, args.db, options)
    steps = {s.id: s for s in plan_folder.read(args.plan).steps}
    pending = [steps[i] for i in preview.pending]
    if args.dry_run:
        for step in pending:
            print(f"-- {step.id} ({step.kind}, risk {step.risk}): {step.description}")
            for statement in step.statements:
                print(statement.sql.rstrip().rstrip(";") + ";")
            print()
        print(
            f"dry run: {len(preview.pending)} step(s) to apply, {len(preview.skipped)} already applied; nothing changed"
        )
        return 0
    risky = [s for s in pending if s.risk == "high"]
    if risky and not args.yes and not _confirmed(risky):
        print("not applied: nothing changed", file=sys.stderr)
        return 1
    result = apply(args.plan, args.db, replace(options, dry_run=False), progress=print)
    if not result.applied:
        print(f"nothing to apply: all {len(result.skipped)} step(s) already applied")
    if result.converged:
        print("converged: the database matches the plan's target")
        return 0
    assert result.audit is not None
    left = len(result.audit.changes.actionable)
    failing = args.fail_on != "never" and result.audit.at_or_above(Severity.parse(args.fail_on))
    if failing:
        print(f"not converged: {left} change(s) remain")
    else:  # the same threshold as audit: what is left is below --fail-on (kept extras, notes)
        print(f"converged up to --fail-on {args.fail_on}: {left} change(s) remain below it (kept, or notes)")
    for f in result.audit.findings:
        where = ".".join(x for x in (f.table, f.column) if x)
        print(f"  {f.severity.value.upper():8} {f.code} {where}: {f.message}")
    return 1 if failing else 0


def _confirmed(risky: list[Any]) -> bool:
    """Ask at a terminal; without one (CI, a pipe) the run goes on as before, unasked."""
    if not (sys.stdin.isatty() and sys.stderr.isatty()):
        return True
    print(f"{len(risky)} high-risk step(s) will run:", file=sys.stderr)
    for step in risky:
        print(f"  {step.id}: {step.description}", file=sys.stderr)
    try:
        answer = input("apply the plan? [y/N] ")
    except EOFError:
        raise SchemauditError("no answer to the confirmation; pass --yes to apply without asking") from None
    return answer.strip().lower() in ("y", "yes")
