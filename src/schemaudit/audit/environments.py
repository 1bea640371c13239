"""Named environments: `[tool.schemaudit.env.NAME]`, picked with `--env NAME`.

    [tool.schemaudit]
    default_env = "dev"

    [tool.schemaudit.env.dev]
    target = "models:app.models:Base"
    current = "alembic:alembic.ini"

    [tool.schemaudit.env.prod]
    base = "dev"                                  # start from dev's settings
    current = "postgresql://app:${DB_PASSWORD}@db.internal/app"
    fail_on = "warning"

An environment holds what would otherwise be typed on every run: the sources, the schema,
the scratch server, the dialect, the failing severity, the report format, the import
folders for models (`path`), the baseline report, the project's interpreter (`python`, also
allowed at the top of `[tool.schemaudit]` for every run). The command line still wins over it.
Relative paths in it are taken from the working directory, as on the command line. An unknown name, key
or value is an error naming the file, like every other config mistake.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from schemaudit.audit.config import find_section
from schemaudit.errors import SchemauditError

# key -> allowed values (None: any string); `path` is a list of strings
_STRINGS: dict[str, tuple[str, ...] | None] = {
    "target": None,
    "current": None,
    "scratch_url": None,
    "schema": None,
    "target_schema": None,
    "current_schema": None,
    "dialect": None,
    "fail_on": ("critical", "warning", "info", "never"),
    "format": None,
    "baseline": None,
    "revision": None,
    "base": None,
    "python": None,
}
KEYS = frozenset({*_STRINGS, "path"})
# keys also allowed at the top of [tool.schemaudit], the default of every environment
TOP_LEVEL = ("python",)


@dataclass(frozen=True, slots=True)
class Environment:
    name: str | None  # None: no environment chosen, only the top-level defaults (`python`)
    settings: Mapping[str, Any]  # keys of KEYS, `base` resolved
    file: str


def find_environment(name: str | None, config: Path | None = None, start: Path | None = None) -> Environment | None:
    """The environment `name` (else the config's `default_env`) over the config's top-level
    defaults (`python`); None when there is nothing to apply."""
    found = find_section(config, start)
    if found is None:
        if name:
            raise SchemauditError(f"--env {name}: no [tool.schemaudit] config found (pyproject.toml or --config)")
        return None
    section, file = found
    where = str(file)
    envs = section.get("env", {})
    if not isinstance(envs, dict) or not all(isinstance(v, dict) for v in envs.values()):
        raise SchemauditError(f"{where}: [tool.schemaudit.env.NAME] must be tables")
    default = section.get("default_env")
    if default is not None and (not isinstance(default, str) or default not in envs):
        raise SchemauditError(f"{where}: default_env = {default!r} names no [tool.schemaudit.env.*] table")
    top = {key: section[key] for key in TOP_LEVEL if key in section}
    if not all(isinstance(value, str) for value in top.values()):
        raise SchemauditError(f"{where}: python must be a string: the project's interpreter")
    chosen = name or default
    if chosen is None:
        return Environment(None, top, where) if top else None
    if chosen not in envs:
        known = ", ".join(sorted(envs)) or "none"
        raise SchemauditError(f"{where}: no environment {chosen!r} (known: {known})")
    return Environment(chosen, {**top, **_resolve(chosen, envs, where, ())}, where)


def _resolve(name: str, envs: Mapping[str, Mapping[str, Any]], where: str, seen: tuple[str, ...]) -> dict[str, Any]:
    if name in seen:
        raise SchemauditError(f"{where}: environments inherit in a circle: {' -> '.join((*seen, name))}")
    table = envs.get(name)
    if table is None:
        raise SchemauditError(f"{where}: env {seen[-1]!r} has base = {name!r}, which is not an environment")
    _check(name, table, where)
    settings: dict[str, Any] = {}
    base = table.get("base")
    if base is not None:
        settings.update(_resolve(base, envs, where, (*seen, name)))
    settings.update((k, v) for k, v in table.items() if k != "base")
    return settings


def _check(name: str, table: Mapping[str, Any], where: str) -> None:
    unknown = sorted(set(table) - KEYS)
    if unknown:
        raise SchemauditError(
            f"{where}: [tool.schemaudit.env.{name}]: unknown key(s) {', '.join(unknown)} "
            f"(known: {', '.join(sorted(KEYS))})"
        )
    for key, value in table.items():
        if key == "path":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise SchemauditError(f"{where}: env {name}: path must be a list of folders")
            continue
        if not isinstance(value, str):
            raise SchemauditError(f"{where}: env {name}: {key} must be a string")
        allowed = _STRINGS[key]
        if allowed is not None and value not in allowed:
            raise SchemauditError(f"{where}: env {name}: {key} = {value!r} is not one of {', '.join(allowed)}")
