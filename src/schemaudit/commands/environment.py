"""`--env NAME`: an environment's settings become the defaults of the command's options.

They are set on the command's parser before the arguments are parsed, so an option given on
the command line wins over the environment as it would over any default. `--env` (or
`SCHEMAUDIT_ENV`, or the config's `default_env`) is looked up in `--config FILE` or the
nearest pyproject.toml with a `[tool.schemaudit]` table.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

# environment key -> the option's dest, per command where it differs
_DEST = {"apply": {"current": "db"}, "inspect": {"current": "source"}}


def add_env_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--env",
        metavar="NAME",
        help="take defaults from [tool.schemaudit.env.NAME] (default: $SCHEMAUDIT_ENV, else default_env)",
    )


def preset(parser: argparse.ArgumentParser, argv: Sequence[str]) -> None:
    """Set the chosen environment's settings as defaults of the command about to run."""
    sub = _command_parser(parser, argv)
    if sub is None:
        return
    command, subparser = sub
    dests = {action.dest for action in subparser._actions}
    if "env" not in dests:
        return
    config = _option(argv, "--config")
    name = _option(argv, "--env") or os.environ.get("SCHEMAUDIT_ENV") or None
    if not config and name is None and _nothing_configured(Path.cwd()):
        return
    from schemaudit.audit.environments import find_environment

    env = find_environment(name, _path(config))
    if env is None:
        return
    values: dict[str, Any] = {}
    for key, value in env.settings.items():
        dest = _DEST.get(command, {}).get(key, key)
        if dest in dests:
            values[dest] = list(value) if isinstance(value, list) else value
    subparser.set_defaults(**values, env_name=env.name)


def _command_parser(parser: argparse.ArgumentParser, argv: Sequence[str]) -> tuple[str, argparse.ArgumentParser] | None:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for token in argv:
                if token in action.choices:
                    return token, action.choices[token]
    return None


def _option(argv: Sequence[str], name: str) -> str | None:
    """The value of `--name X` or `--name=X` (the last one given, as argparse takes it)."""
    value = None
    for i, token in enumerate(argv):
        if token == name and i + 1 < len(argv):
            value = argv[i + 1]
        elif token.startswith(name + "="):
            value = token.split("=", 1)[1]
    return value


def _path(text: str | None) -> Path | None:
    return Path(text) if text else None


def _nothing_configured(start: Path) -> bool:
    """Whether no pyproject.toml from `start` up can hold a `[tool.schemaudit]` table: none
    of them names schemaudit at all. Checked on the text, so that a command run where
    nothing is configured (most `inspect` runs) does not import the audit package to find
    that out (a tenth of a second); a file that names it, or cannot be read, gets the full
    lookup (`find_environment`), which reads it as TOML."""
    for folder in (start.resolve(), *start.resolve().parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            try:
                if "schemaudit" in candidate.read_text(encoding="utf-8-sig"):
                    return False
            except (OSError, UnicodeDecodeError):
                return False
    return True
