"""`schemaudit matrix SRC SRC [SRC ...]`: which sources agree, object by object.

Every source is read once (databases and snapshots as they are; models, DDL, specs and
Alembic histories built for the first database's dialect, or `--dialect`), every pair is
audited with the same config, and each drifted object shows which sources agree on it and
which one differs. Exit 0 when all agree, 1 when an object differs (unless `--fail-on
never`), 2 on bad input.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from schemaudit.commands import helptext
from schemaudit.commands.common import add_source_options, output_path, source_options
from schemaudit.commands.environment import add_env_option
from schemaudit.errors import SchemauditError
from schemaudit.files import refuse_input_as_output, write_atomic, write_stdout

FORMATS = ("text", "md", "json", "sarif", "html")
_SUFFIXES = {".md": "md", ".json": "json", ".sarif": "sarif", ".html": "html", ".txt": "text"}
_AS_IS = frozenset({"sqlite", "postgresql", "postgres", "mysql", "mariadb", "snapshot", "stdin"})


def register(commands: argparse._SubParsersAction[Any]) -> None:
    p = commands.add_parser(
        "matrix",
        help="compare several schemas at once: per object, which sources agree and which differs",
        epilog=helptext.PAIR_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "sources", nargs="+", metavar="SRC", help="two or more sources (spec, models, migrations, databases)"
    )
    p.add_argument("--label", action="append", default=[], metavar="NAME", help="a name per source, in order")
    p.add_argument("--schema", metavar="NAME", help="PostgreSQL schema / MySQL database of the live sources")
    p.add_argument("--config", type=Path, metavar="FILE", help="config file (default: the nearest [tool.schemaudit])")
    p.add_argument("--format", choices=FORMATS, default=None, help="default: from the -o suffix, else text")
    p.add_argument("-o", "--output", type=output_path, help="write the report to this file (- = stdout)")
    p.add_argument("--fail-on", choices=("any", "never"), default="any", help="exit 1 when any object differs")
    p.add_argument("--no-color", action="store_true", help="plain text without colours")
    add_source_options(p)
    add_env_option(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    return run_sources(args, list(args.sources), list(args.label), fail=args.fail_on == "any")


def run_sources(
    args: argparse.Namespace, sources: list[str], labels: list[str], *, fail: bool, renames: Sequence[str] = ()
) -> int:
    """The N-way report of `sources`: `matrix`, and `audit` given `--current` more than once.
    `args` carries the report and source options both commands share."""
    from schemaudit.audit import load_config
    from schemaudit.audit.matrix import matrix
    from schemaudit.diff.hints import Hints
    from schemaudit.errors import mask_secrets
    from schemaudit.report.matrix import render
    from schemaudit.sources import input_files, kind_of, load, source_folder
    from schemaudit.terminal import color_wanted, output_width, shown, visible_json

    if len(sources) < 2:
        raise SchemauditError("matrix needs at least two sources")
    refuse_input_as_output(args.output, [p for spec in sources for p in input_files(spec)])
    if labels and len(labels) != len(sources):
        raise SchemauditError(f"--label given {len(labels)} time(s) for {len(sources)} sources")
    fmt = args.format or (_SUFFIXES.get(args.output.suffix.lower()) if args.output else None) or "text"
    near = tuple(f for s in sources if (f := source_folder(s)) is not None)
    config = load_config(args.config, near=near).with_hints(Hints.from_specs(renames), override=True)
    kinds = [kind_of(s) for s in sources]
    schemas: dict[int, Any] = {}
    # what exists first (databases, snapshots), then migrations (replayed on the scratch
    # server's dialect), then what is built for the dialect found (models, DDL, specs)
    for n in sorted(range(len(kinds)), key=lambda n: (kinds[n] not in _AS_IS, kinds[n] != "alembic", n)):
        dialect = args.dialect or next((schemas[m].dialect for m in sorted(schemas)), None)
        schemas[n] = load(sources[n], source_options(args, args.schema, dialect))
    result = matrix([schemas[n] for n in range(len(sources))], labels or [mask_secrets(s) for s in sources], config)
    color = fmt == "text" and args.output is None and color_wanted(sys.stdout, args.no_color)
    width = output_width(sys.stdout if args.output is None else None) or 120
    if fmt == "json":
        text = visible_json(render(result, fmt, False, width))
    else:
        text = shown(lambda c: render(result, fmt, c, width), color)
    if args.output is None:
        write_stdout(text, color)
    else:
        write_atomic(args.output, text)
    return 1 if result.objects and fail else 0
