"""What an impact search returns: the names a migration changes, and where code uses them.

Plain immutable values, like the audit's, so every report format (markdown, JSON, terminal,
SARIF, HTML) and the `impact` command tell the same story from the same data.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from enum import Enum


class Kind(str, Enum):
    TABLE = "table"
    COLUMN = "column"


@dataclass(frozen=True, slots=True)
class SearchName:
    """One name whose uses in code a change affects.

    `name` is the spelling code uses today: the current (old) name of a renamed table or
    column, or the name of a table or column the database lacks (code using it fails until
    the migration adds it). `table` is the target-side table name, as in the finding;
    `current_table` the name the database has today. A column's `tables` are the ways code
    names its table (both sides' names and their class-style spellings such as `Run`), which
    give a bare column name its context in a file; `standalone` says the name is
    distinctive enough to count without that context.
    """

    kind: Kind
    table: str
    name: str
    new_name: str | None
    code: str
    current_table: str | None = None
    tables: tuple[str, ...] = ()
    standalone: bool = True

    @property
    def change(self) -> str:
        return "rename" if self.new_name is not None else "missing"

    @property
    def qualified(self) -> str:
        """`users`, `runs.mode`: the object as code names it today."""
        if self.kind is Kind.TABLE:
            return self.name
        return f"{self.current_table or self.table}.{self.name}"

    @property
    def label(self) -> str:
        """`users → app_users`, `runs.mode → run_mode`, `cost_events (missing)`."""
        if self.new_name is not None:
            return f"{self.qualified} → {self.new_name}"
        return f"{self.qualified} (missing)"


@dataclass(frozen=True, slots=True)
class Hit:
    """One use of a name in one file. `path` is relative to the searched folder and
    '/'-separated; `column` is 1-based, in characters; `text` is the line, trimmed."""

    path: str
    line: int
    column: int
    text: str
    spelling: str
    names: tuple[SearchName, ...]
    qualified: bool = False


@dataclass(frozen=True, slots=True)
class Skipped:
    """A code file that was not searched, and why (too large, binary, unreadable...)."""

    path: str
    reason: str


@dataclass(frozen=True, slots=True)
class FileUses:
    path: str
    hits: tuple[Hit, ...]

    @property
    def lines(self) -> tuple[tuple[int, tuple[Hit, ...]], ...]:
        """Hits grouped by line, in line order: a line naming two old names is one line."""
        grouped: dict[int, list[Hit]] = {}
        for hit in self.hits:
            grouped.setdefault(hit.line, []).append(hit)
        return tuple((line, tuple(hits)) for line, hits in sorted(grouped.items()))

    @property
    def names(self) -> tuple[SearchName, ...]:
        seen: dict[SearchName, None] = {}
        for hit in self.hits:
            seen.update(dict.fromkeys(hit.names))
        return tuple(sorted(seen, key=lambda n: (n.kind.value, n.qualified)))


@dataclass(frozen=True, slots=True)
class Impact:
    """Where code under `root` (the folder as the user named it) uses the names in `names`."""

    root: str
    listing: str
    names: tuple[SearchName, ...]
    hits: tuple[Hit, ...]
    files_scanned: int
    skipped: tuple[Skipped, ...] = ()

    @property
    def files(self) -> tuple[FileUses, ...]:
        grouped: dict[str, list[Hit]] = {}
        for hit in self.hits:
            grouped.setdefault(hit.path, []).append(hit)
        return tuple(FileUses(path, tuple(hits)) for path, hits in sorted(grouped.items()))

    @property
    def line_count(self) -> int:
        return len({(h.path, h.line) for h in self.hits})

    def display_path(self, path: str) -> str:
        """The file as the user reaches it from where they ran the command: `root/path`."""
        root = self.root.replace("\\", "/")
        return posixpath.normpath(posixpath.join(root, path)) if root not in ("", ".") else path
