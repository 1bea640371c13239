"""`schemaudit check [PATH]`: in an Alembic project, do the models match the migrations?

Like `alembic check`, a one-word CI step, but without a database and without running
`env.py`: the project is found from the working directory (or PATH), the models from
`env.py`'s `target_metadata`, the dialect from `sqlalchemy.url` (or `env.py`); then it is
`schemaudit audit --target models:... --current alembic:alembic.ini`, with the same report,
options and exit codes. Anything given on the command line or in the config's environment
(`--target`, `--scratch-url`, ...) wins over what was found; what cannot be found is one
line naming the setting to add.
"""

from __future__ import annotations

import argparse
import os
import sys
import textwrap
from pathlib import Path
from typing import Any

from schemaudit.commands import helptext
from schemaudit.commands.audit import add_report_options
from schemaudit.commands.common import add_pair_options
from schemaudit.errors import SchemauditError
from schemaudit.terminal import output_width


def register(commands: argparse._SubParsersAction[Any]) -> None:
    p = commands.add_parser(
        "check",
        help="in an Alembic project: audit the models (env.py's target_metadata) against the migrations",
        epilog=helptext.EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("project", nargs="?", type=Path, default=Path("."), metavar="PATH", help="alembic.ini or its folder")
    add_pair_options(p, n_way=True)
    add_report_options(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from schemaudit.commands import audit
    from schemaudit.sources.alembic.project import find_project

    project = find_project(args.project)
    models_why = project.models_reason if not args.target else "as configured"
    if not args.target:
        if project.models is None:
            raise SchemauditError(
                f"check: cannot tell the models: {project.models_reason}; pass --target models:package.module:Base "
                "or set target in [tool.schemaudit.env.NAME]"
            )
        args.target = project.models
    if not args.current:
        args.current = _shown(project.alembic_spec)
    args.path = [*args.path, *(p for p in project.path if p not in args.path)]
    dialect = args.dialect or project.dialect
    if not args.scratch_url and dialect != "sqlite":
        if dialect is None:
            raise SchemauditError(
                f"check: cannot tell the project's database ({project.dialect_reason}); set scratch_url in "
                '[tool.schemaudit.env.NAME] (a PostgreSQL/MySQL server, or "sqlite"), or pass --scratch-url'
            )
        raise SchemauditError(
            f"check: the project runs on {dialect} ({project.dialect_reason}); its migrations replay on a scratch "
            f"database of that server kind: pass --scratch-url {_example(dialect)} or set scratch_url in "
            "[tool.schemaudit.env.NAME]"
        )
    if not args.quiet:
        where = "a temporary SQLite file" if not args.scratch_url else "a scratch database on the --scratch-url server"
        why = project.dialect_reason if dialect == project.dialect and not args.scratch_url else "as configured"
        said = f"check: {args.target} ({models_why}) against {args.current}, replayed on {where} ({why})"
        width = output_width(sys.stderr, default=None)  # a terminal's width: words stay whole
        print(
            "\n".join(
                textwrap.wrap(said, width, subsequent_indent="  ", break_long_words=False, break_on_hyphens=False)
            )
            if width
            else said,
            file=sys.stderr,
        )
    try:
        result: int = audit.run(args)
    except SchemauditError as exc:
        if args.scratch_url or "failed on the scratch sqlite database" not in str(exc):
            raise
        raise SchemauditError(
            f"{exc}; if the project runs on PostgreSQL or MySQL, replay there: --scratch-url "
            f"{_example('postgresql')} (or scratch_url in [tool.schemaudit.env.NAME])"
        ) from None
    return result


def _shown(spec: str) -> str:
    """A spec with its path relative to the working directory, as a person would type it."""
    kind, _, path = spec.partition(":")
    try:
        return f"{kind}:{os.path.relpath(path)}"
    except ValueError:
        return spec


def _example(dialect: str) -> str:
    return "postgresql://postgres@127.0.0.1/postgres" if dialect == "postgresql" else "mysql+pymysql://root@127.0.0.1/"
