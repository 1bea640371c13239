"""Dialects: what each database can do, and how it spells each change.

One class per database (`sqlite.py`, `postgresql.py`, `mysql.py`) on a common base
(`base.py`): capabilities are class attributes, and each change kind has one method. The
planner looks a dialect up here by name and never asks which one it holds.
"""

from __future__ import annotations

import importlib

from schemaudit.errors import SchemauditError
from schemaudit.plan.dialects.base import Dialect
from schemaudit.plan.dialects.context import Clause, Op, PlanContext, Unsupported
from schemaudit.plan.model import PlanOptions

# dialect name -> (module, class)
_REGISTRY: dict[str, tuple[str, str]] = {
    "postgresql": ("postgresql", "PostgresDialect"),
    "mysql": ("mysql", "MySqlDialect"),
    "sqlite": ("sqlite", "SqliteDialect"),
}
ALIASES: dict[str, str] = {"postgres": "postgresql", "pg": "postgresql", "mariadb": "mysql", "sqlite3": "sqlite"}


def canonical(name: str) -> str:
    """The dialect a user's spelling names, or a clear error listing the ones we know."""
    low = name.lower()
    low = ALIASES.get(low, low)
    if low not in _REGISTRY:
        raise SchemauditError(f"unknown dialect {name!r}; known dialects: {', '.join(sorted(_REGISTRY))}")
    return low


def dialect_for(options: PlanOptions) -> Dialect:
    """The dialect object that plans for `options.dialect`."""
    module, cls = _REGISTRY[canonical(options.dialect)]
    found: Dialect = getattr(importlib.import_module(f"schemaudit.plan.dialects.{module}"), cls)(options)
    return found


__all__ = ["ALIASES", "Clause", "Dialect", "Op", "PlanContext", "Unsupported", "canonical", "dialect_for"]
