"""`schemaudit audit --target SRC --current SRC`: the findings, severities and verdict.

Exit 0 when no finding is at or above `--fail-on`, 1 when one is, 2 on bad input. The report
goes to stdout (or `-o FILE`) and nothing else does; progress is drawn on stderr at a
terminal. `schemaudit check` runs the same audit with the sources found in the project.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from schemaudit.commands import helptext
from schemaudit.commands.common import add_pair_options, config_with_hints, load_pair, output_path, pair_inputs
from schemaudit.errors import SchemauditError
from schemaudit.files import refuse_input_as_output, write_atomic, write_stdout
from schemaudit.gcpause import paused_gc
from schemaudit.sources import LoadOptions, input_files
from schemaudit.terminal import color_wanted, output_width

if TYPE_CHECKING:
    from schemaudit.report import Appendix


def register(commands: argparse._SubParsersAction[Any]) -> None:
    audit = commands.add_parser(
        "audit",
        help="audit a current schema against its target and report the findings",
        epilog=helptext.PAIR_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_pair_options(audit, n_way=True)
    add_report_options(audit)
    audit.set_defaults(run=run)


def add_report_options(audit: argparse.ArgumentParser) -> None:
    """The report, the failing severity and the extras: shared with `check`."""
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
        "--min-severity",
        choices=("critical", "warning", "info"),
        default="info",
        help="terminal report: list only findings at or above this severity (the counts still include "
        "the others; default: info, all)",
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


def run(args: argparse.Namespace) -> int:
    """Read config, hints and baseline first (bad input fails before any database is
    touched), then load both sides, audit, write the report and pick the exit code."""
    from schemaudit.audit import Severity, audit
    from schemaudit.audit.progress import compare_findings
    from schemaudit.impact import check_folder, find_impact, start_early
    from schemaudit.progress import progress as steps_on_stderr
    from schemaudit.report import SUFFIXES, json_report, render

    if getattr(args, "more_current", None):
        return _n_way(args)
    suffix_format = SUFFIXES.get(args.output.suffix.lower()) if args.output else None
    if args.format and suffix_format and args.format != suffix_format:
        raise SchemauditError(f"conflicting options: --format {args.format} but -o {args.output}")
    fmt = args.format or suffix_format or "text"
    refuse_input_as_output(args.output, pair_inputs(args, args.baseline))
    config = config_with_hints(args)
    baseline = json_report.read_findings(args.baseline) if args.baseline else None
    if args.code is not None:
        check_folder(args.code)
        start_early()
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
    width = output_width(sys.stdout if args.output is None else None)
    minimum = Severity.parse(args.min_severity)
    with paused_gc():  # the report's rows are short-lived and acyclic; a full collection would walk both models
        text = render(result, fmt, progress, color, impact, appendices, width=width, min_severity=minimum)
    _write(text, args.output, color)
    if args.output is not None and not args.quiet:
        print(
            f"{result.verdict.value}: {result.scorecard.critical} critical, {result.scorecard.warning} warning, "
            f"{result.scorecard.info} info; report written to {args.output}"
        )
    if args.fail_on == "never":
        return 0
    threshold = Severity.parse(args.fail_on)
    return 1 if result.at_or_above(threshold) else 0


def _n_way(args: argparse.Namespace) -> int:
    """`--current` given more than once: the target and every current side in one report,
    per object which sources agree (as `schemaudit matrix TARGET CURRENT...`)."""
    from schemaudit.commands.common import required
    from schemaudit.commands.matrix import run_sources

    required(args, "target")
    for option in ("baseline", "code", "target_schema", "current_schema"):
        if getattr(args, option, None) is not None:
            name = "--" + option.replace("_", "-")
            raise SchemauditError(f"{name} is for one --current; with several, the report is the N-way matrix")
    sources = [args.target, args.current, *args.more_current]
    refuse_input_as_output(args.output, [p for spec in sources for p in input_files(spec)])
    return run_sources(args, sources, [], fail=args.fail_on != "never", renames=args.rename)


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
    out.extend(_markers(sides))
    return tuple(out)


def _markers(sides: tuple[tuple[str, LoadOptions], ...]) -> list[Appendix]:
    """What the migration tools recorded in a live side, and, against an Alembic side,
    which revisions are applied, pending or unknown."""
    from schemaudit.report import Appendix
    from schemaudit.sources import kind_of, markers
    from schemaudit.sources.alembic import source as alembic_source

    out = []
    for spec, options in sides:
        if not markers.check_live(spec):
            continue
        found = markers.read_markers(spec, options.schema)
        alembic = next(((s, o) for s, o in sides if kind_of(s) == "alembic"), None)
        applied = markers.against_history(found, alembic_source.history(*alembic)) if alembic else None
        if found or applied is not None:
            data = markers.to_dict(found, applied)
            text = markers.summary(found, applied)
            out.append(Appendix("Applied migrations", markers.markdown(found, applied), data, text))
    return out


def _write(text: str, output: Path | None, colored: bool = False) -> None:
    """To stdout, or whole to the file (a temporary file renamed into place)."""
    if output is None:
        write_stdout(text, colored)
        return
    write_atomic(output, text)
