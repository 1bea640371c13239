"""Writing files so that a reader sees the whole file or none of it.

A report, snapshot or plan written straight to its name is truncated in place if the disk
fills or the process is killed half-way, and the truncated file looks complete (and the
complete one that was there is gone). So every output is written to a temporary file in the
same folder, flushed to disk, and renamed over its name: a rename within one file system is
atomic. An output that is one of the command's inputs (`inspect app.db -o app.db`) is
refused before anything is read.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from schemaudit.errors import SchemauditError
from schemaudit.terminal import keep_colours, raw


def write_atomic(path: Path, text: str) -> None:
    """Write `text` (UTF-8, line ends as given) to `path` whole, or leave `path` as it was."""
    folder = path.parent if str(path.parent) else Path(".")
    fd = -1
    temporary = ""
    try:
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=folder)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            fd = -1
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(OSError):
            os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
        temporary = ""
    except OSError as exc:
        raise SchemauditError(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        if fd >= 0:
            os.close(fd)
        if temporary:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def same_file(a: Path, b: Path) -> bool:
    """Whether two paths name one file (after links), existing or not."""
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        pass
    return a.resolve() == b.resolve()


def refuse_input_as_output(output: Path | None, inputs: Iterable[Path], option: str = "-o") -> None:
    """A one-line error when `output` is one of the files a command reads."""
    if output is None:
        return
    for source in inputs:
        if same_file(output, source):
            raise SchemauditError(f"{option} {output} is one of the inputs ({source}); it would be overwritten")


def parse_json(text: str, where: str) -> Any:
    """JSON from a file we read (a snapshot, a baseline, a plan manifest), or one line saying
    why not: malformed, nested too deep, or a number too long to convert."""
    try:
        return json.loads(text.removeprefix("\ufeff"))
    except json.JSONDecodeError as exc:
        raise SchemauditError(f"{where} is not valid JSON: {exc.msg} at line {exc.lineno}") from None
    except RecursionError:
        raise SchemauditError(f"{where} is nested too deeply to be a schemaudit file") from None
    except ValueError as exc:  # e.g. an integer beyond the conversion limit
        raise SchemauditError(f"{where} is not valid JSON: {str(exc).splitlines()[0]}") from None


def write_stdout(text: str, colored: bool = False) -> None:
    """Write to stdout, turning a closed or full stdout into one line (exit 2). `colored`
    text was drawn by `terminal.shown` and keeps its colour sequences; any other escape
    sequence is shown escaped either way."""
    if sys.stdout is None:
        raise SchemauditError("cannot write to standard output: it is closed")
    try:
        if colored:
            raw(sys.stdout).write(keep_colours(text))
        else:
            sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise SchemauditError(f"cannot write to standard output: {exc.strerror or exc}") from None


def json_text(data: Any) -> str:
    """`json.dumps(data, indent=2, ensure_ascii=False) + "\\n"`, the same text, about 3x
    faster: with an indent the standard library encodes in pure Python, one generator per
    nesting level, which made writing a report of tens of thousands of entries take seconds.
    Strings go through the library's C escaper; numbers, booleans and null are spelled as
    it spells them; anything else is refused as it refuses it."""
    out: list[str] = []
    encode_json(data, out.append, 0)
    out.append("\n")
    return "".join(out)


def encode_json(value: Any, put: Callable[[str], object], level: int) -> None:
    """`value` as `json_text` spells it at indent `level`, handed to `put` in pieces."""
    if isinstance(value, str):
        put(_escape(value))
    elif value is None:
        put("null")
    elif value is True:
        put("true")
    elif value is False:
        put("false")
    elif isinstance(value, int):
        put(int.__repr__(value))
    elif isinstance(value, float):
        put(_float(value))
    elif isinstance(value, (list, tuple)):
        if not value:
            put("[]")
            return
        pad = "\n" + "  " * (level + 1)
        put("[" + pad)
        for i, item in enumerate(value):
            if i:
                put("," + pad)
            encode_json(item, put, level + 1)
        put("\n" + "  " * level + "]")
    elif isinstance(value, dict):
        if not value:
            put("{}")
            return
        pad = "\n" + "  " * (level + 1)
        put("{" + pad)
        for i, (key, item) in enumerate(value.items()):
            put(("," + pad if i else "") + _escape(_key(key)) + ": ")
            encode_json(item, put, level + 1)
        put("\n" + "  " * level + "}")
    else:
        raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)


def _key(key: Any) -> str:
    """A dict key as json spells it (it accepts str, int, float, bool and None keys)."""
    if isinstance(key, str):
        return key
    if isinstance(key, float):
        return _float(key)
    if key is True or key is False or key is None:
        return {True: "true", False: "false", None: "null"}[key]
    if isinstance(key, int):
        return int.__repr__(key)
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")


_escape = json.encoder.encode_basestring  # the C escaper when available
escape_json: Callable[[str], str] = _escape
