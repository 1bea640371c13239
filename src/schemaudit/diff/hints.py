"""Explicit rename hints: what a person knows overrides what the scorer guesses.

Hints come from config (`[tool.schemaudit.renames]`: `{"table": {"old": "new"}, "column":
{"table.old": "new"}}`) or the CLI (`--rename old=new`, `--rename table.old=new`). "old" is the
current name, "new" the target name; a column hint's table may be named either way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from schemaudit.errors import SchemauditError


class HintError(SchemauditError, ValueError):
    """A rename hint that cannot be read (bad shape or spelling)."""


@dataclass(frozen=True, slots=True)
class Hints:
    tables: tuple[tuple[str, str], ...] = ()  # (current name, target name)
    columns: tuple[tuple[str, str, str], ...] = ()  # (table, current column, target column)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Mapping[str, str]]) -> Hints:
        """`{"table": {"users": "app_users"}, "column": {"projects.user_id": "owner_user_id"}}`
        (plural keys "tables"/"columns" are accepted too)."""
        unknown = set(data) - {"table", "tables", "column", "columns"}
        if unknown:
            raise HintError(f"unknown rename hint section(s): {', '.join(sorted(unknown))}")
        tables = [(old, new) for key in ("table", "tables") for old, new in data.get(key, {}).items()]
        columns = []
        for key in ("column", "columns"):
            for qualified, new in data.get(key, {}).items():
                table, dot, old = qualified.rpartition(".")
                if not dot or not table or not old:
                    raise HintError(f"column rename hint {qualified!r} must be 'table.column'")
                columns.append((table, old, new))
        return cls(tuple(sorted(tables)), tuple(sorted(columns)))

    @classmethod
    def from_specs(cls, specs: Iterable[str]) -> Hints:
        """CLI spellings: `old=new` renames a table, `table.old=new` a column."""
        tables: dict[str, str] = {}
        columns: dict[str, str] = {}
        for spec in specs:
            old, eq, new = spec.partition("=")
            old, new = old.strip(), new.strip()
            if not eq or not old or not new:
                raise HintError(f"rename hint {spec!r} must be old=new or table.old=new")
            (columns if "." in old else tables)[old] = new
        return cls.from_mapping({"table": tables, "column": columns})

    def merged(self, other: Hints) -> Hints:
        return Hints(tuple(sorted({*self.tables, *other.tables})), tuple(sorted({*self.columns, *other.columns})))

    def __bool__(self) -> bool:
        return bool(self.tables or self.columns)
