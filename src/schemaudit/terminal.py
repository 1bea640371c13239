"""How output meets a terminal: colour by the common conventions, `-` for stdout and stdin.

Colour follows https://no-color.org and the FORCE_COLOR convention that CI systems use:
`--no-color` and a non-empty `NO_COLOR` turn it off; a non-empty `FORCE_COLOR` (other than
`0` or `false`) turns it on even when the stream is not a terminal (a GitHub Actions log
shows ANSI colours but is not a terminal); otherwise colour is on only at a terminal that
is not `TERM=dumb`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from typing import Any, TextIO

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


# Characters that act on a terminal or on how text is laid out instead of showing: C0 (but
# newline and tab), DEL, C1 (U+0080-U+009F: 0x9B is a one-byte CSI to some terminals), the
# Unicode line and paragraph separators, and the bidirectional overrides and isolates that
# reorder what a reader sees. A schema may name a table `t\x1b]0;pwned\x07`: in a report or
# a message such a name is shown escaped, never sent raw.
INVISIBLE = "\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
_CONTROLS = re.compile(f"[{INVISIBLE}]")
_CONTROLS_IN_LINE = re.compile(f"[\n\t{INVISIBLE}]")
_JSON_RAW = re.compile("[\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_SGR = re.compile(r"(\x1b\[[0-9;]*m)")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return _NAMED.get(char) or (f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")


def visible(text: str) -> str:
    """A document for a person (report, listing, SQL shown for review): every control
    character escaped as `\\x1b`, `\\r`, `\\u202e`..., newlines and tabs kept."""
    return _CONTROLS.sub(_escape, text)


def visible_line(text: str) -> str:
    """One line of a message: newlines and tabs escaped too."""
    return _CONTROLS_IN_LINE.sub(_escape, text)


def has_controls(text: str) -> bool:
    """Whether `visible` would change `text`."""
    return _CONTROLS.search(text) is not None


def visible_json(text: str) -> str:
    """JSON text with the characters `json.dumps` leaves raw (DEL, C1, separators, bidi
    controls) written as `\\uNNNN` escapes: the same document, safe to `cat`. They can only
    stand inside JSON strings, where the escape means the same character."""
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def keep_colours(text: str) -> str:
    """Text already made visible, whose only escape sequences are the colours we drew
    (SGR): everything else that acts on a terminal is escaped."""
    parts = _SGR.split(text)
    return "".join(part if i % 2 else visible(part) for i, part in enumerate(parts))


class VisibleStream:
    """stdout or stderr for a person: whatever is written reaches the terminal with its
    control characters escaped, whichever code path wrote it. Our own colours and progress
    display are written to `raw(stream)` by the code that drew them (see `shown`)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(visible(text))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


def shown(render: Callable[[bool], str], color: bool) -> str:
    """Text for a person, drawn by `render(color)`: escaped where the schema put control
    characters (then without colours, so no name can hide a sequence among ours)."""
    plain = render(False)
    if color and not has_controls(plain):
        return render(True)
    return visible(plain)


def raw(stream: TextIO) -> TextIO:
    """The stream under a `VisibleStream`: for colours we drew and the progress display."""
    return stream.stream if isinstance(stream, VisibleStream) else stream
