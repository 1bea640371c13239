"""A small .gitignore matcher for folders that are not git work trees.

In a work tree, git itself lists the files (`git ls-files --exclude-standard`), so this is
only the fallback for an exported tree, a tarball or a CI artifact. The rules implemented are
those of gitignore(5): blank lines and `#` comments skipped, trailing spaces trimmed unless
escaped, `!` negates, a trailing `/` matches directories only, a pattern with a `/` at the
start or in the middle is anchored to the .gitignore's folder (otherwise it matches a name at
any depth), `*` and `?` and `[...]` do not cross `/`, and `**` matches across folders in
`**/x`, `x/**` and `a/**/b`. The last matching pattern wins, deeper .gitignore files after
shallower ones; a file inside an ignored folder stays ignored (the walk never enters it).
Tests check it against git's own answers for the same trees.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Pattern:
    regex: re.Pattern[str]
    negated: bool
    dir_only: bool


@dataclass(frozen=True, slots=True)
class IgnoreFile:
    """The patterns of one .gitignore; `base` is its folder relative to the walk's root."""

    base: str
    patterns: tuple[Pattern, ...]

    def verdict(self, path: str, is_dir: bool) -> bool | None:
        """True (ignored), False (re-included by `!`) or None (no pattern here matches).
        `path` is relative to the walk's root, '/'-separated."""
        if self.base:
            if not path.startswith(self.base + "/"):
                return None
            path = path[len(self.base) + 1 :]
        for pattern in reversed(self.patterns):
            if pattern.dir_only and not is_dir:
                continue
            if pattern.regex.fullmatch(path):
                return not pattern.negated
        return None


def parse(text: str, base: str = "") -> IgnoreFile:
    patterns = []
    for raw in text.splitlines():
        pattern = _compile(raw)
        if pattern is not None:
            patterns.append(pattern)
    return IgnoreFile(base, tuple(patterns))


def ignored(files: tuple[IgnoreFile, ...], path: str, is_dir: bool) -> bool:
    """Whether `path` is ignored by the stack of .gitignore files (shallowest first)."""
    for ignore_file in reversed(files):
        verdict = ignore_file.verdict(path, is_dir)
        if verdict is not None:
            return verdict
    return False


def _compile(line: str) -> Pattern | None:
    line = _trim_trailing_spaces(line)
    if not line or line.startswith("#"):
        return None
    negated = line.startswith("!")
    if negated or line.startswith(("\\!", "\\#")):  # `\!` and `\#` start a literal name
        line = line[1:]
    dir_only = line.endswith("/") and not line.endswith("\\/")
    if dir_only:
        line = line.rstrip("/")
    if not line:
        return None
    anchored = "/" in line
    line = line.lstrip("/")
    body = _translate(line)
    regex = body if anchored else f"(?:.*/)?{body}"
    return Pattern(re.compile(regex, re.DOTALL), negated, dir_only)


def _trim_trailing_spaces(line: str) -> str:
    stripped = line.rstrip(" ")
    if len(stripped) < len(line) and stripped.endswith("\\"):
        return stripped[:-1] + " "  # `foo\ ` keeps one escaped space
    return stripped


def _translate(glob: str) -> str:
    """A gitignore glob as a regex over a '/'-separated relative path."""
    out: list[str] = []
    i, n = 0, len(glob)
    while i < n:
        c = glob[i]
        if c == "*" and glob.startswith("**", i):
            before_ok = i == 0 or glob[i - 1] == "/"
            after = glob[i + 2 : i + 3]
            if before_ok and after == "/":  # `**/`: zero or more folders
                out.append("(?:.*/)?")
                i += 3
                continue
            if before_ok and i + 2 == n:  # trailing `/**`: everything inside
                out.append(".*")
                i += 2
                continue
            out.append("[^/]*")  # any other `**` is a plain `*`
            i += 2
            while i < n and glob[i] == "*":
                i += 1
            continue
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            end = _class_end(glob, i)
            if end < 0:
                out.append(re.escape(c))
            else:
                out.append(_char_class(glob[i + 1 : end]))
                i = end
        elif c == "\\" and i + 1 < n:
            i += 1
            out.append(re.escape(glob[i]))
        else:
            out.append(re.escape(c))
        i += 1
    return "".join(out)


def _class_end(glob: str, start: int) -> int:
    i = start + 1
    if i < len(glob) and glob[i] in "!^":
        i += 1
    if i < len(glob) and glob[i] == "]":
        i += 1
    while i < len(glob):
        if glob[i] == "\\":
            i += 2
            continue
        if glob[i] == "]":
            return i
        i += 1
    return -1


def _char_class(body: str) -> str:
    """`[...]` as a regex class; like git's, it never matches `/`."""
    negate = body[:1] in ("!", "^")
    if negate:
        body = body[1:]
    parts: list[str] = []
    i = 0
    while i < len(body):
        c = body[i]
        if c == "\\" and i + 1 < len(body):
            i += 1
            c = body[i]
            parts.append("\\" + c if c in "\\]^-[" else c)
        elif c in "\\]^[":
            parts.append("\\" + c)
        else:
            parts.append(c)
        i += 1
    inner = "".join(parts)
    return f"[^{inner}/]" if negate else f"(?!/)[{inner}]"
