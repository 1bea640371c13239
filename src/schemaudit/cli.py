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
    add_pair_options,
    add_source_options,
    config_with_hints,
    load_pair,
    output_path,
    source_options,
)
from schemaudit.commands.environment import add_env_option, preset
from schemaudit.errors import SchemauditError, mask_secrets
from schemaudit.model import Schema
from schemaudit.sources import LoadOptions
from schemaudit.terminal import color_wanted

if TYPE_CHECKING:
    from schemaudit.report import Appendix

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
    _add_audit(commands)
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


def _add_audit(commands: argparse._SubParsersAction[_Parser]) -> None:
    audit = commands.add_parser(
        "audit",
        help="audit a current schema against its target and report the findings",
        epilog=helptext.PAIR_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_pair_options(audit)
    audit.add_argument(
        "--format",
        choices=("md", "json", "text", "sarif", "html"),
        default=None,
        help="default: from the -o suffix (.md, .json, .sarif, .html), else text",
    )
    audit.add_argument(
        "-o", "--output", type=output_path, help="write the report to this file instead of stdout (- = stdout)"
    )
    audit.add_argument(
        "--fail-on",
        choices=("critical", "warning", "info", "never"),
        default="critical",
        help="exit 1 when a finding is at or above this severity (default: critical)",
    )
    audit.add_argument(
        "--baseline",
        type=Path,
        metavar="PREV.json",
        help="an earlier JSON report: add what was resolved, what is new, what is unchanged",
    )
    audit.add_argument(
        "--code",
        type=Path,
        metavar="DIR",
        help="also list the files and lines under DIR that use renamed or missing tables and columns",
    )
    audit.add_argument("--no-color", action="store_true", help="plain text without colours")
    audit.add_argument("-q", "--quiet", action="store_true", help="no summary line and no progress: only the report")
    audit.set_defaults(run=_run_audit)


def _run_audit(args: argparse.Namespace) -> int:
    """Read config, hints and baseline first (bad input fails before any database is
    touched), then load both sides, audit, write the report and pick the exit code."""
    from schemaudit.audit import Severity, audit
    from schemaudit.audit.progress import compare_findings
    from schemaudit.impact import check_folder, find_impact
    from schemaudit.progress import progress as steps_on_stderr
    from schemaudit.report import SUFFIXES, json_report, render

    suffix_format = SUFFIXES.get(args.output.suffix.lower()) if args.output else None
    if args.format and suffix_format and args.format != suffix_format:
        raise SchemauditError(f"conflicting options: --format {args.format} but -o {args.output}")
    fmt = args.format or suffix_format or "text"
    config = config_with_hints(args)
    baseline = json_report.read_findings(args.baseline) if args.baseline else None
    if args.code is not None:
        check_folder(args.code)
    with steps_on_stderr(args.quiet, color_wanted(sys.stderr, args.no_color)) as steps:
        target, current, target_options, current_options = load_pair(args, steps)
        with steps.step("auditing"):
            result = audit(target, current, config)
        impact = None
        if args.code is not None:
            with steps.step(f"searching code under {args.code}"):
                impact = find_impact(result, args.code, progress=steps.files)
    progress = compare_findings(baseline, result.findings, str(args.baseline)) if baseline is not None else None
    color = fmt == "text" and args.output is None and color_wanted(sys.stdout, args.no_color)
    appendices = _appendices((args.target, target_options), (args.current, current_options))
    _write(render(result, fmt, progress, color, impact, appendices), args.output)
    if args.output is not None and not args.quiet:
        print(
            f"{result.verdict.value}: {result.scorecard.critical} critical, {result.scorecard.warning} warning, "
            f"{result.scorecard.info} info; report written to {args.output}"
        )
    if args.fail_on == "never":
        return EXIT_OK
    threshold = Severity.parse(args.fail_on)
    return EXIT_FINDINGS if result.at_or_above(threshold) else EXIT_OK


def _appendices(*sides: tuple[str, LoadOptions]) -> tuple[Appendix, ...]:
    """Report appendices offered by the sources: the migration timeline of an Alembic side
    (its replay is cached from loading with the same options, so it does not run again)."""
    from schemaudit.report import Appendix
    from schemaudit.sources import kind_of
    from schemaudit.sources.alembic import history as alembic_history
    from schemaudit.sources.alembic import source as alembic_source

    out = []
    for spec, options in sides:
        if kind_of(spec) == "alembic":
            history = alembic_source.history(spec, options)
            markdown = alembic_history.appendix_markdown(history)
            out.append(Appendix("Migration history", markdown, alembic_history.to_dict(history)))
    return tuple(out)


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
