"""`schemaudit apply --plan DIR --db URL [--dry-run]`: run a plan folder, then prove it.

Prints one line per step as it is applied, then "converged" or the findings that remain.
Exit 0 when the database now matches the plan's target, 1 when findings remain (kept drops,
changes the dialect could not express), 2 when a step fails or the input is unusable.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def register(commands: argparse._SubParsersAction[Any]) -> None:
    p = commands.add_parser("apply", help="apply a plan folder to a database and re-audit it")
    p.add_argument("--plan", required=True, type=Path, metavar="DIR", help="a folder written by schemaudit plan -o DIR")
    p.add_argument(
        "--db", required=True, metavar="URL", help="the database to migrate (sqlite:///, postgresql://, ...)"
    )
    p.add_argument("--dry-run", action="store_true", help="list the steps that would run; change nothing")
    p.add_argument("--schema", help="PostgreSQL schema / MySQL database (default: public / the URL's)")
    p.add_argument(
        "--config", type=Path, metavar="FILE", help="config for the re-audit (default: nearest pyproject.toml)"
    )
    p.add_argument(
        "--migrations-table",
        default="schemaudit_migrations",
        metavar="NAME",
        help="schemaudit's bookkeeping table (default: schemaudit_migrations; never another tool's)",
    )
    p.add_argument("--no-backup", action="store_true", help="SQLite: do not copy the file before changing it")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from schemaudit.apply.run import ApplyOptions, apply
    from schemaudit.audit import load_config

    config = load_config(args.config)
    options = ApplyOptions(
        dry_run=args.dry_run,
        schema=args.schema,
        config=config,
        backup=not args.no_backup,
        migrations_table=args.migrations_table,
    )
    result = apply(args.plan, args.db, options, progress=print)
    if args.dry_run:
        print(
            f"dry run: {len(result.pending)} step(s) to apply, {len(result.skipped)} already applied; nothing changed"
        )
        return 0
    if not result.applied:
        print(f"nothing to apply: all {len(result.skipped)} step(s) already applied")
    if result.converged:
        print("converged: the database matches the plan's target")
        return 0
    assert result.audit is not None
    print(f"not converged: {len(result.audit.changes.actionable)} change(s) remain")
    for f in result.audit.findings:
        where = ".".join(x for x in (f.table, f.column) if x)
        print(f"  {f.severity.value.upper():8} {f.code} {where}: {f.message}")
    return 1
