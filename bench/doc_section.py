"""Each benchmark owns one marked section of docs/PERFORMANCE.md and rewrites only that, so
benchmarks run on different days (or at once) keep each other's figures."""

from __future__ import annotations

from pathlib import Path


def put_section(
    path: Path, section: str, begin: str, end: str, after: str | None = None, before: str | None = None
) -> None:
    """Replace the text from `begin` to `end` with `section` (which carries both markers). A
    file without the section yet gets it after the `after` marker, else above the `before`
    marker, else at the end. The file is read just before it is written, so a concurrent edit
    elsewhere in it is kept."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Performance\n"
    if begin in text and end in text:
        head, rest = text.split(begin, 1)
        text = head + section + rest.split(end, 1)[1]
    elif after is not None and after in text:
        head, tail = text.split(after, 1)
        rest = tail.lstrip("\n")
        text = head + after + "\n\n" + section + ("\n\n" + rest if rest else "\n")
    elif before is not None and before in text:
        head, tail = text.split(before, 1)
        text = head.rstrip("\n") + "\n\n" + section + "\n\n" + before + tail
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(text, encoding="utf-8")
