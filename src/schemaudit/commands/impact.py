"""`schemaudit impact --code DIR --target SRC --current SRC`: the files and lines that use a
table or column the migration renames, or one the database lacks.

The audit decides what changed (with the same config, rename hints and ignore rules as
`schemaudit audit`), then one pass over the code finds the uses. Exit codes: 0 no code uses
a changing name, 1 some does (unless `--fail-on never`), 2 bad input. The report goes to
stdout (or -o FILE) and nothing else does: progress is drawn on stderr, and only on a
terminal.
"""

from __future__ import annotations

import argparse
import io
import re
import sys
from pathlib import Path
from typing import Any

from schemaudit.commands.common import add_pair_options, config_with_hints, load_pair, output_path, pair_inputs
from schemaudit.errors import SchemauditError
from schemaudit.files import json_text, refuse_input_as_output, write_atomic, write_stdout

FORMAT = "schemaudit-impact"
VERSION = 1
_SUFFIXES = {".md": "md", ".markdown": "md", ".json": "json", ".txt": "text"}
_SIZE = re.compile(r"^\s*(\d+)\s*([kmg]i?b?|b)?\s*$", re.IGNORECASE)


def register(commands: argparse._SubParsersAction[Any]) -> None:
    p = commands.add_parser(
        "impact", help="list the code that uses renamed or missing tables and columns (file:line and the line)"
    )
    p.add_argument("--code", required=True, type=Path, metavar="DIR", help="the code to search")
    add_pair_options(p)
    p.add_argument(
        "--format", choices=("text", "md", "json"), default=None, help="default: from the -o suffix, else text"
    )
    p.add_argument(
        "-o", "--output", type=output_path, help="write the report to this file instead of stdout (- = stdout)"
    )
    p.add_argument(
        "--fail-on",
        choices=("any", "never"),
        default="any",
        help="exit 1 when any code uses a changing name (default), or never",
    )
    p.add_argument(
        "--max-file-size",
        type=_size,
        default=None,
        metavar="SIZE",
        help="skip (and list) code files larger than this, e.g. 512K or 4M (default: 2M)",
    )
    p.add_argument("--jobs", type=int, default=None, metavar="N", help="processes searching files (default: automatic)")
    p.add_argument("--no-color", action="store_true", help="plain text without colours")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Check every argument before touching a database, then audit, search, report."""
    from schemaudit.audit import audit
    from schemaudit.gcpause import paused_gc
    from schemaudit.impact import DEFAULT_MAX_BYTES, check_folder, find_impact, start_early
    from schemaudit.progress import progress
    from schemaudit.terminal import color_wanted, output_width, shown, visible_json

    suffix_format = _SUFFIXES.get(args.output.suffix.lower()) if args.output else None
    if args.format and suffix_format and args.format != suffix_format:
        raise SchemauditError(f"conflicting options: --format {args.format} but -o {args.output}")
    fmt = args.format or suffix_format or "text"
    if args.jobs is not None and args.jobs < 1:
        raise SchemauditError(f"--jobs must be 1 or more, not {args.jobs}")
    check_folder(args.code)
    refuse_input_as_output(args.output, pair_inputs(args))
    config = config_with_hints(args)
    if args.jobs != 1:
        start_early()
    with progress(args.quiet, color_wanted(sys.stderr, args.no_color)) as steps:
        target, current, _, _ = load_pair(args, steps)
        with steps.step("auditing"):
            result = audit(target, current, config)
        with steps.step(f"searching code under {args.code}"):
            impact = find_impact(
                result,
                args.code,
                max_bytes=args.max_file_size or DEFAULT_MAX_BYTES,
                jobs=args.jobs,
                progress=steps.files,
            )
    color = fmt == "text" and args.output is None and color_wanted(sys.stdout, args.no_color)
    width = output_width(sys.stdout if args.output is None else None) or 120
    with paused_gc():  # tens of thousands of short-lived rows, no cycles: see gcpause
        if fmt == "json":
            text = visible_json(_render(impact, fmt, False, width))
        else:
            text = shown(lambda c: _render(impact, fmt, c, width), color)
    if args.output is None:
        write_stdout(text, color)
    else:
        write_atomic(args.output, text)
    return 1 if impact.hits and args.fail_on == "any" else 0


def _render(impact: Any, fmt: str, color: bool, width: int) -> str:
    from schemaudit.report import impact as render

    if fmt == "json":
        data = {"format": FORMAT, "version": VERSION, **render.to_dict(impact)}
        return json_text(data)
    if fmt == "md":
        return "\n".join([f"# {render.TITLE}", *render.markdown_lines(impact)]) + "\n"
    from rich.console import Console

    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=color, no_color=not color, width=width)
    console.print(render.rich_section(impact))
    return buffer.getvalue()


def _size(text: str) -> int:
    """`4M`, `512K`, `1048576`: a size in bytes (K, M, G are powers of 1024)."""
    match = _SIZE.match(text)
    if not match:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (write e.g. 512K or 4M)")
    unit = (match.group(2) or "b")[0].lower()
    size = int(match.group(1)) * {"b": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30}[unit]
    if size < 1:
        raise argparse.ArgumentTypeError("the size must be at least 1 byte")
    return size
