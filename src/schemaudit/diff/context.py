"""What every table comparison shares: both schemas and how their names were matched.

Its own module so that the per-part comparisons (`indexes`, `table_diff`) can all read it
without importing each other.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from schemaudit.identifiers import IdentifierRules
from schemaudit.model import Schema


@dataclass(frozen=True, slots=True)
class Context:
    """Both schemas and the matching, shared by every table comparison."""

    target: Schema
    current: Schema
    rules: IdentifierRules  # combined: case-insensitive where either side is
    table_map: Mapping[str, str]  # current table key -> target table key (matched tables)
    # current table key -> {current col key: target col key}; only tables whose columns did not
    # all match by name are listed (the others map every name to itself)
    column_maps: Mapping[str, Mapping[str, str]]

    @property
    def dialects(self) -> tuple[str, str]:
        return self.target.dialect, self.current.dialect

    def column_namer(self, current_table: str) -> Callable[[str], str]:
        """Current column name -> target-side key (`~name` when it has no counterpart)."""
        cmap = self.column_maps.get(self.rules.table_key(current_table))
        key = self.rules.column_key
        if cmap is None:
            return key

        def name(col: str) -> str:
            k = key(col)
            return cmap.get(k, "~" + k)

        return name

    def renames(self, current_table: str) -> tuple[tuple[str, str], ...]:
        """Renamed columns as (current, target) lower-case pairs, for expression keys."""
        cmap = self.column_maps.get(self.rules.table_key(current_table), {})
        return tuple(sorted((k.lower(), v.lower()) for k, v in cmap.items() if k != v))
