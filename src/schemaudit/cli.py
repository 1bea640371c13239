"""Command line: `schemaudit inspect SRC ...`, `schemaudit audit --target SRC --current SRC ...`.

Exit codes: 0 success, 1 findings at or above --fail-on (audit), 2 bad input or usage. Bad
input is always one line on stderr, never a traceback; passwords are masked in every message.
"""

from __future__ import annotations

import argparse
import errno
import io
import os
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO, cast

from schemaudit import __version__, snapshot
from schemaudit.commands import helptext, register_all
from schemaudit.commands.common import (
    add_source_options,
    output_path,
    source_options,
)
from schemaudit.commands.environment import add_env_option, preset
from schemaudit.errors import SchemauditError, mask_secrets, one_line
from schemaudit.files import refuse_input_as_output, write_atomic, write_stdout
from schemaudit.model import Schema
from schemaudit.terminal import VisibleStream, color_wanted, output_width, shown, visible_json, visible_line

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
    from schemaudit.gcpause import paused_gc, settle
    from schemaudit.sources import input_files, load

    required(args, "source")
    refuse_input_as_output(args.output, input_files(args.source))
    with paused_gc():  # the schema is built, then lives until the command ends: the
        schema = load(args.source, source_options(args, args.schema, None))
        settle()  # collector need not walk it, not even once when the pause ends
    fmt = args.format or ("json" if args.output and args.output.suffix == ".json" else "text")
    color = False
    if fmt == "json":
        text = visible_json(snapshot.dumps(schema))
    else:
        color = args.output is None and color_wanted(sys.stdout, args.no_color)
        width = output_width(sys.stdout if args.output is None else None) or 120
        text = shown(lambda colored: _render_text(schema, colored, width), color)
    _write(text, args.output, color)
    return EXIT_OK


def _render_text(schema: Schema, color: bool, width: int) -> str:
    from rich.console import Console

    from schemaudit.report.schema_view import render

    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=color, no_color=not color, width=width)
    render(schema, console)
    return buffer.getvalue()


def _write(text: str, output: Path | None, colored: bool = False) -> None:
    """To stdout, or whole to the file (a temporary file renamed into place)."""
    if output is None:
        write_stdout(text, colored)
        return
    write_atomic(output, text)


def _quiet_stdout() -> None:
    """After a failed write, stdout must not fail again when the interpreter flushes it."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno() if sys.stdout is not None else 1)
        os.close(devnull)
    except (OSError, ValueError):
        pass


def _on_signal(signum: int, _frame: object) -> None:
    """SIGTERM/SIGINT: kill the children's process groups first (a worker thread may be
    waiting on one), then unwind, so every `finally` runs: scratch databases are dropped."""
    from schemaudit.sources.process import kill_children

    kill_children()
    raise KeyboardInterrupt


def _handle_signals() -> dict[int, Any]:
    """Our handlers for the run; the previous ones, to put back."""
    if threading.current_thread() is not threading.main_thread():
        return {}
    return {signum: signal.signal(signum, _on_signal) for signum in (signal.SIGTERM, signal.SIGINT)}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        preset(parser, arguments)
    except SchemauditError as exc:
        print(f"schemaudit: {visible_line(one_line(mask_secrets(str(exc))))}", file=sys.stderr)
        return EXIT_BAD_INPUT
    args = parser.parse_args(arguments)
    previous = _handle_signals()
    streams = sys.stdout, sys.stderr
    try:
        _escaping_streams()
        return _run(args)
    finally:
        sys.stdout, sys.stderr = streams
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _escaping_streams() -> None:
    """Whatever reaches the terminal has a schema's control characters escaped (a table
    named `t\x1b]0;pwned\x07` must not retitle the window), whichever path wrote it."""
    if sys.stdout is not None and not isinstance(sys.stdout, VisibleStream):
        sys.stdout = cast(TextIO, VisibleStream(sys.stdout))
    if sys.stderr is not None and not isinstance(sys.stderr, VisibleStream):
        sys.stderr = cast(TextIO, VisibleStream(sys.stderr))


def _run(args: argparse.Namespace) -> int:
    try:
        result: int = args.run(args)
        if sys.stdout is not None:
            sys.stdout.flush()
        return result
    except SchemauditError as exc:
        if "standard output" in str(exc):
            _quiet_stdout()
        print(f"schemaudit: {visible_line(one_line(mask_secrets(str(exc))))}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # the reader went away (`| head`): nothing more to say
        _quiet_stdout()
        return EXIT_OK
    except OSError as exc:  # stdout full or gone while printing progress
        if exc.errno in (errno.ENOSPC, errno.EBADF, errno.EIO):
            _quiet_stdout()
            print(f"schemaudit: cannot write to standard output: {exc.strerror or exc}", file=sys.stderr)
            return EXIT_BAD_INPUT
        if os.environ.get("SCHEMAUDIT_DEBUG"):
            raise
        print(f"schemaudit: internal error: {one_line(mask_secrets(f'{type(exc).__name__}: {exc}'))}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("schemaudit: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug, or input we failed to anticipate: still one line
        if os.environ.get("SCHEMAUDIT_DEBUG"):
            raise
        message = mask_secrets(f"{type(exc).__name__}: {exc}").splitlines()[0] if str(exc) else type(exc).__name__
        message = visible_line(message)
        print(f"schemaudit: internal error: {message} (set SCHEMAUDIT_DEBUG=1 for details)", file=sys.stderr)
        return EXIT_BAD_INPUT


if __name__ == "__main__":
    sys.exit(main())
