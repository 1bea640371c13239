"""`schemaudit history ALEMBIC`: the migration timeline of an Alembic project.

For each revision in upgrade order: its id, the date of its `Create Date:` header, its
message, and the tables it created, altered, dropped or wrote rows to, as recorded by
replaying it on a scratch database (see `sources/alembic/source.py`). `--verbose` adds every
operation with the file and line of its call. The same timeline is the appendix of an audit
report whose current (or target) schema is an Alembic history.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from schemaudit.commands.common import output_path
from schemaudit.commands.environment import add_env_option
from schemaudit.files import refuse_input_as_output, write_atomic
from schemaudit.terminal import output_width, visible, visible_json

FORMATS = ("text", "md", "json")


def register(commands: argparse._SubParsersAction[Any]) -> None:
    parser = commands.add_parser("history", help="print the migration timeline of an Alembic project")
    parser.add_argument("source", metavar="ALEMBIC", help="alembic.ini, the migrations folder or its versions folder")
    parser.add_argument("--format", choices=FORMATS, default=None, help="default: from the -o suffix, else text")
    parser.add_argument("-o", "--output", type=output_path, help="write to this file instead of stdout (- = stdout)")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every operation with its file and line")
    parser.add_argument(
        "--scratch-url",
        metavar="URL",
        help="PostgreSQL/MySQL server to replay on (a scratch database is created and dropped); "
        "default: a temporary SQLite file",
    )
    parser.add_argument("--revision", metavar="REV", help="stop at this revision (default: the head)")
    parser.add_argument("--python", metavar="PATH", help="replay with the project's interpreter (Alembic >= 1.7)")
    parser.add_argument(
        "--base", metavar="SRC", help="models: or ddl: source built before the first revision (create_all bases)"
    )
    parser.add_argument(
        "--path",
        action="append",
        default=[],
        metavar="DIR",
        help="add DIR to sys.path for imports in the revision files (repeatable)",
    )
    add_env_option(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from schemaudit.progress import progress
    from schemaudit.sources import LoadOptions, input_files
    from schemaudit.sources.alembic.history import timeline_markdown, timeline_text, to_dict
    from schemaudit.sources.alembic.source import history
    from schemaudit.terminal import color_wanted

    fmt = args.format or _format_of(args.output)
    spec = args.source if args.source.lower().startswith("alembic:") else f"alembic:{args.source}"
    refuse_input_as_output(args.output, input_files(spec))
    options = LoadOptions(path=tuple(args.path), scratch_url=args.scratch_url, revision=args.revision, base=args.base)
    with progress(False, color_wanted(sys.stderr)) as steps, steps.step(f"replaying {spec}"):
        timeline = history(spec, options)
    if fmt == "json":
        text = visible_json(json.dumps(to_dict(timeline), indent=2, ensure_ascii=False) + "\n")
    elif fmt == "md":
        text = visible(f"# Migration history of `{timeline.source}`\n\n" + timeline_markdown(timeline))
    else:
        width = output_width(sys.stdout, default=None) if args.output is None else None
        text = visible(timeline_text(timeline, verbose=args.verbose, width=width))
    if args.output is None:
        print(text, end="")
        return 0
    write_atomic(args.output, text)
    return 0


def _format_of(output: Path | None) -> str:
    suffix = output.suffix.lower() if output else ""
    return {".json": "json", ".md": "md", ".markdown": "md"}.get(suffix, "text")
