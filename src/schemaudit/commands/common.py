"""What the commands that read two schemas share: source options, config with rename hints,
and loading the pair (`audit`, `plan`, `impact` read both sides the same way)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from schemaudit.gcpause import settle
from schemaudit.sources import LoadOptions

if TYPE_CHECKING:
    from schemaudit.audit.config import Config
    from schemaudit.model import Schema
    from schemaudit.progress import Steps

# Sources that read what exists, whatever the other side's dialect is.
_READ_AS_IS = frozenset({"sqlite", "postgresql", "postgres", "mysql", "mariadb", "snapshot"})


def output_path(text: str) -> Path | None:
    """An `-o` value: a path, or `-` for standard output (the same as no `-o`)."""
    from schemaudit.terminal import STDIO

    return None if text == STDIO else Path(text)


def add_pair_options(parser: argparse.ArgumentParser, *, dialect_option: bool = True, n_way: bool = False) -> None:
    """--target/--current with their schemas, config and rename hints, and source options."""
    from schemaudit.commands.environment import add_env_option

    parser.add_argument(
        "--target",
        metavar="SRC",
        action=ModelsJoin,
        help="the schema it is meant to have (required, or from --env); models: sources may be given "
        "more than once (an app's Base and a library's), and are merged",
    )
    parser.add_argument(
        "--current",
        metavar="SRC",
        action=MoreCurrent,
        help="the schema under audit (required, or from --env)"
        + ("; given more than once, the N-way report of `matrix` (the target, then each current)" if n_way else ""),
    )
    add_env_option(parser)
    parser.add_argument(
        "--schema",
        metavar="NAME",
        help="PostgreSQL schema / MySQL database of both sides (default: public / the URL's)",
    )
    parser.add_argument("--target-schema", metavar="NAME", help="PostgreSQL schema / MySQL database of the target")
    parser.add_argument("--current-schema", metavar="NAME", help="PostgreSQL schema / MySQL database of the current")
    parser.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help="config file (default: [tool.schemaudit] of the nearest pyproject.toml)",
    )
    parser.add_argument(
        "--rename",
        action="append",
        default=[],
        metavar="OLD=NEW",
        help="a rename hint: table old=new, or column table.old=new (repeatable)",
    )
    add_source_options(parser, dialect_option=dialect_option)


class ModelsJoin(argparse.Action):
    """`--target models:a:Base --target models:b:Base` is one models source of both
    (`models:a:Base,b:Base`); any other source is given once."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        value = str(values)
        before = getattr(namespace, self.dest, None)
        if before:
            if not (before.lower().startswith("models:") and value.lower().startswith("models:")):
                parser.error(f"{option_string} given twice: only models: sources can be combined")
            value = f"{before},{value.split(':', 1)[1]}"
        setattr(namespace, self.dest, value)


class MoreCurrent(argparse.Action):
    """`--current A --current B`: A is `current`, B and the rest `more_current` (the N-way
    report); a default from an environment is replaced by the first one given."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        if getattr(namespace, "current_given", False):
            namespace.more_current = [*getattr(namespace, "more_current", []), str(values)]
        else:
            namespace.current = str(values)
            namespace.current_given = True


def add_source_options(parser: argparse.ArgumentParser, *, dialect_option: bool = True) -> None:
    """Options for sources that build a schema rather than read one (models, alembic, ddl)."""
    parser.add_argument(
        "--path", action="append", default=[], metavar="DIR", help="add DIR to sys.path for models: (repeatable)"
    )
    parser.add_argument(
        "--scratch-url",
        metavar="URL",
        help="server on which alembic: replays migrations, and ddl:/models: sources build their views, functions "
        "and triggers, in a throw-away database (default: a temporary SQLite)",
    )
    parser.add_argument("--revision", metavar="REV", help="alembic: stop at this revision instead of head")
    parser.add_argument(
        "--python",
        metavar="PATH",
        help="models:/alembic: import the models and replay the migrations with the project's interpreter "
        "(its SQLAlchemy 1.4 or 2.x and Alembic >= 1.7)",
    )
    parser.add_argument(
        "--base",
        metavar="SRC",
        help="alembic: build this models: or ddl: source on the scratch database before the first revision "
        "(for projects whose base tables come from metadata.create_all())",
    )
    if dialect_option:
        parser.add_argument("--dialect", help="dialect of models:/ddl: sources (default: the other side's)")
    parser.add_argument(
        "--lenient",
        action="store_true",
        help="ddl:/spec: skip (and list) definitions that cannot be read; models: skip submodules that fail to import",
    )
    parser.add_argument(
        "--timeout",
        type=_seconds,
        metavar="SECONDS",
        help="models:/python:/alembic: give user code this long to finish (default 600, python: 30)",
    )


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value <= 86400:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds (more than 0, at most 86400)")
    return value


def source_options(args: argparse.Namespace, schema: str | None, dialect: str | None) -> LoadOptions:
    return LoadOptions(
        schema=schema,
        dialect=getattr(args, "dialect", None) or dialect,
        path=tuple(args.path),
        scratch_url=args.scratch_url,
        revision=args.revision,
        lenient=args.lenient,
        base=args.base,
        python=args.python,
        timeout=getattr(args, "timeout", None),
    )


def config_with_hints(args: argparse.Namespace) -> Config:
    """The config file's settings, with --rename hints overriding its own (checked first, so
    bad input fails before any database is touched)."""
    from schemaudit.audit import load_config
    from schemaudit.diff.hints import Hints
    from schemaudit.errors import SchemauditError
    from schemaudit.sources import source_folder

    required(args, "target", "current")
    if getattr(args, "more_current", None):
        raise SchemauditError("--current given more than once: only audit (the N-way report) compares several")
    old_names = [spec.partition("=")[0].strip() for spec in args.rename]
    duplicate = next((n for n in old_names if old_names.count(n) > 1), None)
    if duplicate is not None:
        raise SchemauditError(f"conflicting options: --rename {duplicate}=... given more than once")
    near = tuple(folder for spec in (args.target, args.current) if (folder := source_folder(spec)) is not None)
    config = load_config(args.config, near=near)
    if getattr(args, "env_name", None) and config.source:
        config = replace(config, source=f"{config.source} (env {args.env_name})")
    return config.with_hints(Hints.from_specs(args.rename), override=True)


def required(args: argparse.Namespace, *names: str) -> None:
    """Options that may come from an environment instead of the command line."""
    from schemaudit.errors import SchemauditError

    labels = {"source": ("SRC", "current"), "db": ("--db", "current")}  # name on the command line, env key
    for name in names:
        if not getattr(args, name, None):
            option, key = labels.get(name, ("--" + name.replace("_", "-"), name))
            raise SchemauditError(
                f"the following arguments are required: {option} (or {key} in [tool.schemaudit.env.NAME] with --env)"
            )


def pair_inputs(args: argparse.Namespace, *more: Path | None) -> list[Path]:
    """Every file a two-sided command reads (an output must not be one of them)."""
    from schemaudit.sources import input_files

    files = [path for spec in (args.target, args.current) if spec for path in input_files(spec)]
    files.extend(p for p in (args.config, *more) if p is not None)
    return files


def load_pair(args: argparse.Namespace, steps: Steps | None = None) -> tuple[Schema, Schema, LoadOptions, LoadOptions]:
    """Both sides. Two databases are read at once: the drivers wait on the servers without
    holding the GIL, so the slower side hides the other. A target that is built (models,
    DDL, spec) waits for the current side, to be built for its dialect, as SQLAlchemy would
    create it there."""
    from schemaudit.progress import progress

    if steps is None:
        with progress(True) as silent:
            return load_pair(args, silent)
    pair = _load_pair(args, steps)
    settle()  # the two schemas live until the command ends: the collector need not walk them again
    return pair


def _load_pair(args: argparse.Namespace, steps: Steps) -> tuple[Schema, Schema, LoadOptions, LoadOptions]:
    from schemaudit.sources import kind_of, load

    current_options = source_options(args, args.current_schema or args.schema, None)
    if kind_of(args.target) in _READ_AS_IS:
        target_options = source_options(args, args.target_schema or args.schema, None)
        with steps.step(f"reading {args.target} and {args.current}"), ThreadPoolExecutor(1) as pool:
            pending = pool.submit(load, args.target, target_options)
            current = load(args.current, current_options)
            target = pending.result()
        return target, current, target_options, current_options
    with steps.step(f"reading current {args.current}"):
        current = load(args.current, current_options)
    target_options = source_options(args, args.target_schema or args.schema, current.dialect)
    with steps.step(f"reading target {args.target}"):
        target = load(args.target, target_options)
    return target, current, target_options, current_options
