"""How output meets a terminal: colour by the common conventions, `-` for stdout and stdin.

Colour follows https://no-color.org and the FORCE_COLOR convention that CI systems use:
`--no-color` and a non-empty `NO_COLOR` turn it off; a non-empty `FORCE_COLOR` (other than
`0` or `false`) turns it on even when the stream is not a terminal (a GitHub Actions log
shows ANSI colours but is not a terminal); otherwise colour is on only at a terminal that
is not `TERM=dumb`.
"""

from __future__ import annotations

import os
from typing import TextIO

STDIO = "-"  # `-o -` writes to stdout; a source `-` reads stdin


def color_wanted(stream: TextIO, no_color_flag: bool = False) -> bool:
    """Whether to draw colours on `stream`, by the flag, the environment and the stream."""
    if no_color_flag or os.environ.get("NO_COLOR", ""):
        return False
    force = os.environ.get("FORCE_COLOR", "")
    if force:
        return force.strip().lower() not in ("0", "false", "no")
    if os.environ.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or replaced stream
        return False


def output_width(stream: TextIO | None, default: int | None = 120) -> int | None:
    """How wide to draw text for `stream`: `COLUMNS` when set (a user or a CI job that pipes
    the report says how wide it wants it), else the terminal's width when `stream` is one,
    else `default` (a fixed width, so captured output is stable; None: do not wrap)."""
    columns = os.environ.get("COLUMNS", "").strip()
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    try:
        if stream is not None and stream.isatty():
            size = os.get_terminal_size(stream.fileno()).columns
            if size > 0:
                return size
    except (AttributeError, ValueError, OSError):  # a closed, replaced or sizeless stream
        pass
    return default
