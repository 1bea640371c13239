"""Project configuration: `[tool.schemaudit]` in pyproject.toml, or a file given with --config.

What a team knows that the schemas cannot say: this rule matters more (or less) here, these
tables are unmodelled on purpose, that table was renamed. For example:

    [tool.schemaudit.severity]
    SA113 = "warning"          # extra columns must be modelled here; "off" disables a rule

    [tool.schemaudit.ignore]
    "parser_*" = "parser_* are staging tables, unmodelled by design"

    [tool.schemaudit.renames.table]
    users = "app_users"

    [tool.schemaudit.renames.column]
    "projects.user_id" = "owner_user_id"

    [tool.schemaudit.fill]
    "users.joined_at" = "created_at"   # values for a column that becomes NOT NULL (plan)

    [tool.schemaudit]
    docs_url = "https://docs.example.org/schemaudit/"   # where docs/RULES.md is published (SARIF helpUri)

A file given with --config may hold the same keys at its top level (a `schemaudit.toml`) or
under `[tool.schemaudit]`. Without --config, the nearest pyproject.toml that has a
`[tool.schemaudit]` table is used, looking upward from the working directory, then from the
folders of the source files (an example's own config applies when it is audited from the
repository root). `[tool.schemaudit.env.NAME]` tables are read by `audit/environments.py`.
Anything unreadable or misspelt is an error naming the file: a
silently ignored severity override or ignore pattern is worse than a failed run.
"""

from __future__ import annotations

import fnmatch
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from schemaudit.audit.findings import Severity
from schemaudit.audit.rules import REGISTRY
from schemaudit.diff.hints import Hints
from schemaudit.errors import SchemauditError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

_KEYS = frozenset({"severity", "ignore", "renames", "fill", "env", "default_env", "python", "docs_url"})
OFF = "off"


@dataclass(frozen=True, slots=True)
class IgnoreRule:
    """Tables matching `pattern` (a glob, case-insensitive) are left out, for `reason`."""

    pattern: str
    reason: str

    def matches(self, table: str) -> bool:
        return fnmatch.fnmatchcase(table.lower(), self.pattern.lower())


@dataclass(frozen=True, slots=True)
class Config:
    """Severity overrides by code (None = rule off), ignored tables, rename hints."""

    severities: tuple[tuple[str, Severity | None], ...] = ()
    ignore: tuple[IgnoreRule, ...] = ()
    hints: Hints = field(default_factory=Hints)
    source: str | None = None
    fills: tuple[tuple[str, str, str], ...] = ()  # (table, column, SQL expression) for `plan`
    docs_url: str | None = None  # where docs/RULES.md is published: SARIF rules link to it

    @property
    def severity_overrides(self) -> dict[str, Severity | None]:
        return dict(self.severities)

    def ignored(self, table: str) -> IgnoreRule | None:
        """The first ignore rule (in file order) that covers a table."""
        return next((rule for rule in self.ignore if rule.matches(table)), None)

    def with_hints(self, hints: Hints, override: bool = False) -> Config:
        """Add hints; with `override`, a given hint replaces the configured one for the same
        old name (a `--rename` on the command line beats pyproject.toml)."""
        mine = self.hints
        if override:
            tables = {old.lower() for old, _ in hints.tables}
            columns = {(table.lower(), old.lower()) for table, old, _ in hints.columns}
            mine = Hints(
                tuple(h for h in mine.tables if h[0].lower() not in tables),
                tuple(h for h in mine.columns if (h[0].lower(), h[1].lower()) not in columns),
            )
        return replace(self, hints=mine.merged(hints))


def load_config(path: Path | None = None, start: Path | None = None, near: tuple[Path, ...] = ()) -> Config:
    """The config in `path`, else `[tool.schemaudit]` of the nearest pyproject.toml that has
    one above `start` (default: the working directory), else above each folder in `near`
    (the sources' folders), else the defaults."""
    found = find_section(path, start, near)
    if found is None:
        return Config()
    section, file = found
    return from_mapping(section, str(path) if path is not None else _shown(file, start or Path.cwd()))


def find_section(
    path: Path | None = None, start: Path | None = None, near: tuple[Path, ...] = ()
) -> tuple[dict[str, Any], Path] | None:
    """The `[tool.schemaudit]` table (or a schemaudit.toml's top level) and its file."""
    if path is not None:
        data = _read(path)
        tool = data.get("tool")
        if isinstance(tool, dict):
            if "schemaudit" not in tool:
                raise SchemauditError(f"config {path} has no [tool.schemaudit] table")
            return tool["schemaudit"], path
        return data, path
    for folder in (start or Path.cwd(), *near):
        found = _nearest_pyproject(folder)
        if found is not None:
            return found
    return None


def _shown(path: Path, base: Path) -> str:
    """The config path as reports show it: relative to where the audit runs, so reports do
    not depend on (or reveal) the machine's folder layout."""
    try:
        return os.path.relpath(path, base.resolve())
    except ValueError:  # another drive
        return str(path)


def _nearest_pyproject(start: Path) -> tuple[dict[str, Any], Path] | None:
    """The nearest pyproject.toml above `start` with a [tool.schemaudit] table (a project's
    pyproject.toml without one does not hide its parent's, as with ruff)."""
    for folder in (start.resolve(), *start.resolve().parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            tool = _read(candidate).get("tool")
            if isinstance(tool, dict) and "schemaudit" in tool:
                return tool["schemaudit"], candidate
    return None


def _read(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise SchemauditError(f"cannot read config {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise SchemauditError(f"config {path} is not UTF-8 text") from None
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SchemauditError(f"config {path} is not valid TOML: {exc}") from None
    except RecursionError:
        raise SchemauditError(f"config {path} is nested too deeply") from None
    return data


def from_mapping(data: Any, where: str = "config") -> Config:
    """A Config from the parsed `[tool.schemaudit]` table, checked key by key."""
    if not isinstance(data, dict):
        raise SchemauditError(f"{where}: [tool.schemaudit] must be a table")
    unknown = sorted(set(data) - _KEYS)
    if unknown:
        raise SchemauditError(f"{where}: unknown key(s) {', '.join(unknown)} (known: {', '.join(sorted(_KEYS))})")
    if not isinstance(data.get("python", ""), str):
        raise SchemauditError(f"{where}: python must be a string: the project's interpreter")
    docs_url = data.get("docs_url")
    if docs_url is not None and (not isinstance(docs_url, str) or not docs_url.startswith(("https://", "http://"))):
        raise SchemauditError(f"{where}: docs_url must be an http(s) URL: where docs/RULES.md is published")
    return Config(
        severities=_severities(_table(data, "severity", where), where),
        ignore=_ignores(_table(data, "ignore", where), where),
        hints=_hints(_table(data, "renames", where), where),
        source=where,
        fills=tuple(parse_fill(f"{k}={v}", where) for k, v in _strings(_table(data, "fill", where), "fill", where)),
        docs_url=docs_url,
    )


def parse_fill(text: str, where: str = "--fill") -> tuple[str, str, str]:
    """`TABLE.COLUMN=SQL_EXPR` as (table, column, expression)."""
    name, sep, expr = text.partition("=")
    table, dot, column = name.strip().rpartition(".")
    if not sep or not dot or not table or not column or not expr.strip():
        raise SchemauditError(f"{where}: {text!r} is not TABLE.COLUMN=SQL_EXPR")
    return table, column, expr.strip()


def _strings(table: Mapping[str, Any], key: str, where: str) -> list[tuple[str, str]]:
    if not all(isinstance(v, str) for v in table.values()):
        raise SchemauditError(f"{where}: [tool.schemaudit.{key}] values must be strings")
    return [(str(k), str(v)) for k, v in table.items()]


def _table(data: Mapping[str, Any], key: str, where: str) -> Mapping[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise SchemauditError(f"{where}: [tool.schemaudit.{key}] must be a table")
    return value


def _severities(table: Mapping[str, Any], where: str) -> tuple[tuple[str, Severity | None], ...]:
    out: list[tuple[str, Severity | None]] = []
    for code, value in sorted(table.items()):
        if code.upper() not in REGISTRY:
            raise SchemauditError(f"{where}: severity override for unknown finding code {code!r}")
        if not isinstance(value, str):
            raise SchemauditError(f"{where}: severity of {code} must be a string")
        if value.strip().lower() == OFF:
            out.append((code.upper(), None))
            continue
        try:
            out.append((code.upper(), Severity.parse(value)))
        except ValueError as exc:
            raise SchemauditError(f"{where}: {code}: {exc} or {OFF!r}") from None
    return tuple(out)


def _ignores(table: Mapping[str, Any], where: str) -> tuple[IgnoreRule, ...]:
    out = []
    for pattern, reason in table.items():
        if not isinstance(reason, str) or not reason.strip():
            raise SchemauditError(f"{where}: ignored table pattern {pattern!r} needs a reason (a non-empty string)")
        out.append(IgnoreRule(pattern, reason.strip()))
    return tuple(out)


def _hints(table: Mapping[str, Any], where: str) -> Hints:
    for section, values in table.items():
        if not isinstance(values, dict) or not all(isinstance(v, str) for v in values.values()):
            raise SchemauditError(f"{where}: [tool.schemaudit.renames.{section}] must map old names to new names")
    try:
        return Hints.from_mapping(table)
    except SchemauditError as exc:
        raise SchemauditError(f"{where}: {exc}") from None
