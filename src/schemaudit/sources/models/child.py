"""The child process of the models source: import the user's models, send back a snapshot.

Run as `python -m schemaudit.sources.models.child` by `source` (see `sources.child`
for the protocol). Everything that executes user code happens here: importing the module,
importing every submodule of a package (a model left out of `__init__.py` must not vanish
from the audit), resolving the named attribute or finding the declarative bases.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import os
import pkgutil
import sys
from types import ModuleType
from typing import Any

import sqlalchemy as sa

from schemaudit import snapshot
from schemaudit.errors import SourceError
from schemaudit.identifiers import RULES_BY_DIALECT
from schemaudit.model import Schema, SchemaObject
from schemaudit.sources.child import display_path, one_line, serve, user_frame
from schemaudit.sources.models.convert import Converter
from schemaudit.sources.models.ddl_objects import create_all_statements, is_view_table, view_objects
from schemaudit.sources.models.origin import Origins


def handle(request: dict[str, Any]) -> dict[str, Any]:
    roots = [os.path.abspath(p) for p in request["path"]] + [os.getcwd()]
    for root in reversed(roots):
        sys.path.insert(0, root)
    dialect = request["dialect"]
    skipped: list[SchemaObject] = []
    skip = skipped if request.get("lenient") else None
    modules: list[ModuleType] = []
    metadatas: list[sa.MetaData] = []
    for name, attr in request["sources"]:
        module = import_module(name, roots)
        mine = [module, *import_submodules(module, roots, skip)]
        modules.extend(mine)
        for metadata in [metadata_of(module, name, attr)] if attr else discover(mine, name):
            if all(metadata is not m for m in metadatas):
                metadatas.append(metadata)
    _configure_mappers()
    tables, other = _tables(metadatas, request.get("schema"))
    views = [t for t in tables if is_view_table(t)]
    tables = [t for t in tables if not is_view_table(t)]
    # the mappers first: a class only its registry holds (made in a function) is kept
    # alive by them, and recording create_all may run the garbage collector
    origins = Origins(_mappers(tables), modules)
    statements, failed = create_all_statements(
        metadatas, tables, request.get("create_all_dialect") or dialect, request.get("table_text", True)
    )
    found = [*view_objects(views), *failed]
    other = tuple(sorted({*other, *skipped, *found}, key=lambda o: (o.kind, o.name, o.table or "")))
    converter = Converter(dialect, origins)
    schema = Schema(
        tables=tuple(sorted((converter.table(t) for t in tables), key=lambda t: t.name)),
        dialect=dialect,
        origin=request["label"],
        name=request.get("schema"),
        rules=RULES_BY_DIALECT[dialect],
        not_audited=other,
    )
    return {**snapshot.to_dict(schema), "create_all": statements}


def _configure_mappers() -> None:
    """Mappers configured, as the first query would: extensions attach their DDL listeners
    then (sqlalchemy-searchable's triggers, on `after_configured`). A mapper that cannot be
    configured is left to the table conversion, which reads the tables without it."""
    with contextlib.suppress(Exception):  # user mappers may raise anything
        sa.orm.configure_mappers()


def import_module(name: str, roots: list[str]) -> ModuleType:
    """Import a module; any failure becomes one line naming the module that failed, the
    file and line, and for a missing dependency, its name."""
    try:
        return importlib.import_module(name)
    except BaseException as exc:  # user code may raise anything
        raise SourceError(import_error(name, exc, roots)) from None


def import_error(name: str, exc: BaseException, roots: list[str]) -> str:
    head = f"cannot import {name}"
    if isinstance(exc, SyntaxError) and exc.filename:
        return f"{head}: {display_path(exc.filename)}:{exc.lineno}: SyntaxError: {exc.msg}"
    frame = user_frame(exc.__traceback__, roots)
    if isinstance(exc, ModuleNotFoundError) and frame is None:
        searched = ", ".join(display_path(r) or "." for r in roots)
        return f"{head}: no module named {exc.name or name!r} on the import path ({searched}); pass --path DIR"
    where = name
    if frame is not None:
        where = f"{display_path(frame[0])}:{frame[1]}" + (f" ({frame[2]})" if frame[2] != name else "")
    if isinstance(exc, ModuleNotFoundError):
        return f"{head}: {where} needs {exc.name!r}, which is not installed (missing dependency {exc.name})"
    return f"{head}: {where} raised {one_line(exc)}{_app_context_hint(exc)}"


def _app_context_hint(exc: BaseException) -> str:
    """What to pass when a Flask module needs an app context at import (flask-migrate's
    env.py runs inside `flask db`, which made the app first; an audit imports only models)."""
    if "application context" not in str(exc):
        return ""
    return (
        "; it needs a Flask app context at import: name the module that defines the models and db "
        "(models:package.models:db), and pass --lenient to skip modules that need the app"
    )


def import_submodules(
    package: ModuleType, roots: list[str], skipped: list[SchemaObject] | None = None
) -> list[ModuleType]:
    """Every module below a package, in name order (a plain module has none). A submodule
    that fails to import (a Flask view needing an app context) stops the load with one line
    naming it; with `skipped` (--lenient) it is listed there and the others are read."""
    paths = getattr(package, "__path__", None)
    if paths is None:
        return []
    out: list[ModuleType] = []
    for info in sorted(pkgutil.iter_modules(paths, package.__name__ + "."), key=lambda i: i.name):
        if info.name.rsplit(".", 1)[-1] == "__main__":
            continue
        try:
            sub = import_module(info.name, roots)
        except SourceError as exc:
            if skipped is None:
                raise SourceError(f"{exc} (pass --lenient to skip this module)") from None
            skipped.append(SchemaObject("module not imported", f"{info.name}: {exc}"))
            continue
        out.append(sub)
        if info.ispkg:
            out.extend(import_submodules(sub, roots, skipped))
    return out


def metadata_of(module: ModuleType, name: str, attr: str) -> sa.MetaData:
    """The MetaData behind `module:attr` (a declarative base, a registry or a MetaData)."""
    obj: Any = module
    for part in attr.split("."):
        if not hasattr(obj, part):
            raise SourceError(f"module {name} has no attribute {attr!r}")
        obj = getattr(obj, part)
    found = _as_metadata(obj) or _extension_metadata(obj)
    if found is None:
        kind = type(obj).__name__
        raise SourceError(
            f"{name}:{attr} is a {kind}, not a SQLAlchemy declarative base, registry, MetaData "
            "or an object with one in .metadata (Flask-SQLAlchemy's db)"
        )
    return found


def _extension_metadata(obj: Any) -> sa.MetaData | None:
    """The MetaData of an extension object that holds one, as Flask-SQLAlchemy's `db` does
    (`db.metadata`, the default bind's; `db.Model` subclasses register their tables there).
    Reading it needs no Flask app or app context."""
    if isinstance(obj, ModuleType):
        return None
    try:
        metadata = getattr(obj, "metadata", None)
    except Exception:  # a property that needs an app context
        return None
    return metadata if isinstance(metadata, sa.MetaData) else None


def _as_metadata(obj: Any) -> sa.MetaData | None:
    if isinstance(obj, sa.MetaData):
        return obj
    metadata = getattr(obj, "metadata", None) if isinstance(obj, (type, sa.orm.registry)) else None
    return metadata if isinstance(metadata, sa.MetaData) else None


def discover(modules: list[ModuleType], name: str) -> list[sa.MetaData]:
    """The MetaData objects the modules hold: declarative bases, mapped classes, registries
    and MetaData instances, each MetaData once, in the order first seen."""
    seen: dict[int, sa.MetaData] = {}
    for module in modules:
        for value in list(vars(module).values()):
            found = _as_metadata(value)
            if found is not None:
                seen.setdefault(id(found), found)
    if not seen:
        raise SourceError(
            f"no SQLAlchemy declarative base or MetaData found in {name}; name one, e.g. models:{name}:Base"
        )
    return list(seen.values())


def _tables(metadatas: list[sa.MetaData], schema: str | None) -> tuple[list[sa.Table], tuple[SchemaObject, ...]]:
    """The tables to audit; a table of another schema is listed as not audited."""
    tables: dict[str, sa.Table] = {}
    other = []
    for metadata in metadatas:
        for table in metadata.tables.values():
            if table.schema not in (None, schema):
                other.append(SchemaObject("table in another schema", f"{table.schema}.{table.name}"))
                continue
            previous = tables.get(table.name)
            if previous is not None and previous is not table:
                raise SourceError(
                    f"table {table.name!r} is defined in two different MetaData objects; "
                    "name the one to audit, e.g. models:package.module:Base"
                )
            tables[table.name] = table
    return list(tables.values()), tuple(sorted(set(other), key=lambda o: (o.kind, o.name)))


def _mappers(tables: list[sa.Table]) -> list[sa.orm.Mapper[Any]]:
    """The ORM mappers of these tables, from every registry in the process."""
    from sqlalchemy.orm import mapperlib

    wanted = {id(t) for t in tables}
    registries = list(getattr(mapperlib, "_mapper_registries", {}))
    return [m for r in registries for m in r.mappers if id(m.local_table) in wanted]


def main() -> int:
    """Answer one request with the cyclic garbage collector off for the whole process:
    declaring mapped classes and converting them allocate hundreds of thousands of objects
    that live until this short process exits, and the collector walked them again and again
    (a third of the child's CPU time on 2,000 columns in 50 modules, and a full collection
    when a pause ended; bench/models_stage_bench.py). Reference counting still frees what
    dies; only reference cycles wait for the exit, and a user module may still call
    `gc.collect()` itself."""
    gc.disable()
    return serve(handle)


if __name__ == "__main__":
    sys.exit(main())
