"""schemaudit: audit a database schema against the schema it is meant to have.

The library's verbs are `schemaudit.load`, `compare`, `audit`, `plan`, `apply` and `render`
(see `schemaudit.api`). They are imported on first use, so `import schemaudit` stays as light
as the command line needs. `audit`, `plan` and `apply` are also the names of subpackages:
those modules are callable (`Verb`), so `schemaudit.audit(...)` is the verb whether or not
the subpackage was imported first, and `from schemaudit.audit import Severity` still works.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

__version__ = "0.1.0"

API = ("load", "compare", "audit", "plan", "apply", "render")
__all__ = ["API", "__version__", "apply", "audit", "compare", "load", "plan", "render"]


class Verb(types.ModuleType):
    """A subpackage that is also the library verb of its name."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        verb = getattr(importlib.import_module("schemaudit.api"), self.__name__.rpartition(".")[2])
        return verb(*args, **kwargs)


def callable_package(name: str) -> None:
    """Make the subpackage `name` (schemaudit.audit, .plan, .apply) callable as its verb."""
    sys.modules[name].__class__ = Verb


def __getattr__(name: str) -> Any:
    if name in ("audit", "plan", "apply"):
        return importlib.import_module(f"schemaudit.{name}")
    if name in API:
        return getattr(importlib.import_module("schemaudit.api"), name)
    raise AttributeError(f"module 'schemaudit' has no attribute {name!r}")
