"""Command line: `schemaudit inspect SRC ...`, `schemaudit audit --target SRC --current SRC ...`.

Exit codes: 0 success, 1 findings at or above --fail-on (audit), 2 bad input or usage. Bad
input is always one line on stderr, never a traceback; passwords are masked in every message.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from schemaudit import __version__, snapshot
from schemaudit.commands import helptext, register_all
from schemaudit.commands.common import (
    add_source_options,
    output_path,
    source_options,
)
from schemaudit.commands.environment import add_env_option, preset
from schemaudit.errors import SchemauditError, mask_secrets
from schemaudit.model import Schema
from schemaudit.terminal import color_wanted

if TYPE_CHECKING:
    pass

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_BAD_INPUT = 2


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line naming the problem and the help command."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_BAD_INPUT, f"schemaudit: error: {message} (see '{self.prog} --help')\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="schemaudit",
        description=helptext.DESCRIPTION,
        epilog=helptext.TOP_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("-V", "--version", action="version", version=f"schemaudit {__version__}")
    _add_completion(parser)
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser, metavar="COMMAND")

    inspect = commands.add_parser(
        "inspect",
        help="read one schema and show it, or save a JSON snapshot",
        epilog=helptext.SOURCE_KINDS,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    inspect.add_argument(
        "source",
        metavar="SRC",
        nargs="?",
        help="any source kind below, or - for stdin (default: --env's current)",
    )
    add_env_option(inspect)
    inspect.add_argument(
        "--format", choices=("text", "json"), default=None, help="default: text, or json with -o *.json"
    )
    inspect.add_argument("-o", "--output", type=output_path, help="write to this file instead of stdout (- = stdout)")
    inspect.add_argument("--schema", help="PostgreSQL schema (default public) or MySQL database to read")
    add_source_options(inspect)
    inspect.add_argument("--no-color", action="store_true", help="plain text without colours")
    inspect.set_defaults(run=_run_inspect)
    register_all(commands)
    return parser


def _add_completion(parser: argparse.ArgumentParser) -> None:
    """`--print-completion bash|zsh|tcsh`: a static completion script (no Python runs when
    the shell completes), generated from this parser by shtab."""
    import shtab

    shtab.add_argument_to(
        parser,
        ["--print-completion"],
        help="print a shell completion script (see README: At the terminal)",
    )


def _run_inspect(args: argparse.Namespace) -> int:
    from schemaudit.commands.common import required
    from schemaudit.sources import load

    required(args, "source")
    schema = load(args.source, source_options(args, args.schema, None))
    fmt = args.format or ("json" if args.output and args.output.suffix == ".json" else "text")
    if fmt == "json":
        text = snapshot.dumps(schema)
    else:
        color = args.output is None and color_wanted(sys.stdout, args.no_color)
        text = _render_text(schema, color)
    _write(text, args.output)
    return EXIT_OK


def _render_text(schema: Schema, color: bool) -> str:
    from rich.console import Console

    from schemaudit.report.schema_view import render

    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=color, no_color=not color, width=None if color else 120)
    render(schema, console)
    return buffer.getvalue()


def _write(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise SchemauditError(f"cannot write {output}: {exc.strerror or exc}") from None


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        preset(parser, arguments)
    except SchemauditError as exc:
        print(f"schemaudit: {mask_secrets(str(exc))}", file=sys.stderr)
        return EXIT_BAD_INPUT
    args = parser.parse_args(arguments)
    try:
        result: int = args.run(args)
        return result
    except SchemauditError as exc:
        print(f"schemaudit: {mask_secrets(str(exc))}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("schemaudit: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # a bug, or input we failed to anticipate: still one line
        if os.environ.get("SCHEMAUDIT_DEBUG"):
            raise
        message = mask_secrets(f"{type(exc).__name__}: {exc}").splitlines()[0] if str(exc) else type(exc).__name__
        print(f"schemaudit: internal error: {message} (set SCHEMAUDIT_DEBUG=1 for details)", file=sys.stderr)
        return EXIT_BAD_INPUT


if __name__ == "__main__":
    sys.exit(main())
