"""Subcommands beyond `inspect`: one module each, registered here by name.

Each module exposes `register(commands)`, which adds its parser to the CLI's subparsers and
sets `run=` to a function taking the parsed arguments and returning the exit code. Adding a
command is one new module and one line below, never an `if` in `cli.py`.
"""

from __future__ import annotations

import argparse
import importlib
from typing import Any

COMMANDS: tuple[str, ...] = ("audit", "check", "matrix", "plan", "apply", "history", "impact")


def register_all(commands: argparse._SubParsersAction[Any]) -> None:
    for name in COMMANDS:
        importlib.import_module(f"schemaudit.commands.{name}").register(commands)
