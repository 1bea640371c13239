"""Sources: every place a schema can be read from, each returning a `Schema`.

A source is named by a spec string (`sqlite:///app.db`, `postgresql://...`,
`snapshot:snap.json`). The kind is the part before the first `:` (and before `+driver` in
database URLs); each kind maps to one module's `load(spec, options)`. Modules are imported
only when used, so a missing optional driver only matters to the source that needs it.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from schemaudit.errors import SchemauditError
from schemaudit.model import Schema


@dataclass(frozen=True, slots=True)
class LoadOptions:
    """Options that apply across sources; each source reads the ones it understands."""

    schema: str | None = None  # PostgreSQL schema to read (default "public")
    dialect: str | None = None
    lenient: bool = False  # skip (and list) statements or definitions that cannot be read
    path: tuple[str, ...] = ()  # directories put on sys.path for models:/alembic: imports
    scratch_url: str | None = None  # alembic: server to replay on (default: a temporary SQLite)
    revision: str | None = None  # alembic: stop at this revision (default: head)
    base: str | None = None  # alembic: models:/ddl: source built on the scratch before the first revision
    python: str | None = None  # models:/alembic: the project's interpreter for the child (default: ours)
    timeout: float | None = None  # seconds for user code (models/python/alembic) to finish


class Loader(Protocol):
    def __call__(self, spec: str, options: LoadOptions) -> Schema: ...


# kind -> module under schemaudit.sources that provides `load`
_REGISTRY: dict[str, str] = {
    "sqlite": "live.sqlite",
    "postgresql": "live.postgresql",
    "postgres": "live.postgresql",
    "mysql": "live.mysql",
    "mariadb": "live.mysql",
    "snapshot": "snapshot",
    "ddl": "ddl.source",
    "spec": "spec.source",
    "python": "python.source",
    "models": "models.source",
    "alembic": "alembic.source",
    "stdin": "stdin",
}

# bare paths: file suffix -> kind, so `schemaudit inspect app.db` works without a prefix
_SUFFIXES: dict[str, str] = {
    ".db": "sqlite",
    ".sqlite": "sqlite",
    ".sqlite3": "sqlite",
    ".json": "snapshot",
    ".sql": "ddl",
    ".md": "spec",
    ".ini": "alembic",
}


def kind_of(spec: str) -> str:
    """The source kind a spec names, or a clear error naming the kinds we know."""
    from schemaudit.sources.stdin import is_stdin

    if is_stdin(spec):
        return "stdin"
    head, sep, _ = spec.partition(":")
    if sep and len(head) > 1:  # a one-letter head is a Windows drive, not a kind
        kind = head.split("+", 1)[0].lower()
        if kind in _REGISTRY:
            return kind
        raise SchemauditError(
            f"unknown source kind {head!r} in {spec!r}; known kinds: {', '.join(sorted(set(_REGISTRY) - {'stdin'}))}"
        )
    suffix = Path(spec).suffix.lower()
    if suffix in _SUFFIXES:
        return _SUFFIXES[suffix]
    raise SchemauditError(
        f"cannot tell what kind of source {spec!r} is; write it as KIND:..., "
        f"e.g. sqlite:///path.db or snapshot:file.json"
    )


def is_live(spec: str) -> bool:
    """Whether a spec names a live database (which `plan` may query read-only)."""
    return _REGISTRY[kind_of(spec)].startswith("live.")


def source_folder(spec: str) -> Path | None:
    """The folder of the file a source reads (None for databases on a server, modules and
    standard input): where the project's config is looked for besides the working directory."""
    try:
        kind = kind_of(spec)
    except SchemauditError:
        return None
    body = spec.split(":", 1)[1] if ":" in spec and len(spec.split(":", 1)[0]) > 1 else spec
    if kind == "sqlite":
        from schemaudit.sources.live.sqlite import sqlite_path

        try:
            path = sqlite_path(spec)
        except SchemauditError:
            return None
    elif kind in ("ddl", "snapshot", "alembic"):
        path = body.partition("?")[0]
    elif kind == "spec":
        path = body.partition("#")[0]
    elif kind == "python":
        path = body.rpartition(":")[0] or body
    else:
        return None
    found = Path(path).resolve()
    return found if found.is_dir() else found.parent


def load(spec: str, options: LoadOptions | None = None) -> Schema:
    """Read a schema from any source spec."""
    kind = kind_of(spec)
    module = importlib.import_module(f"schemaudit.sources.{_REGISTRY[kind]}")
    loader: Loader = module.load
    return loader(spec, options or LoadOptions())


def input_files(spec: str) -> tuple[Path, ...]:
    """The files a spec reads (a SQLite file with its journal, a snapshot, a DDL file, a
    spec document, a Python file, an Alembic ini): an output must never be one of them. Best
    effort and silent: a spec that names no file names none here."""
    try:
        kind = kind_of(spec)
    except SchemauditError:
        return ()
    body = spec.split(":", 1)[1] if spec.lower().startswith(f"{kind}:") or ":" in spec.split("/")[0] else spec
    try:
        if kind == "sqlite":
            from schemaudit.sources.live.sqlite import sqlite_path

            path = sqlite_path(spec)
            return tuple(Path(path + suffix) for suffix in ("", "-wal", "-shm", "-journal"))
        if kind in ("snapshot", "alembic"):
            return (Path(body),)
        if kind in ("ddl", "spec"):
            return (Path(body.partition("#")[0].partition("?")[0]),)
        if kind == "python":
            return (Path(body.rpartition(":")[0] or body),)
    except SchemauditError:
        return ()
    return ()
