"""Source `models:package.module:Base` (or `:metadata`, or a module whose bases are found).

The schema SQLAlchemy models describe, as the DDL of one dialect would create it
(`LoadOptions.dialect`, default PostgreSQL; an audit should pass the dialect of the schema it
compares with, so that `Uuid` is compared as `CHAR(32)` with a SQLite database). Also the
facts only the ORM knows (`Table.app_facts`): Python-side defaults, `@validates` methods, and
Enum/Boolean checks done in Python.

Objects beyond tables (triggers, functions and views that DDL listeners create, sequences)
are what `create_all` would run for the dialect (`ddl_objects`); with a scratch server
(`--scratch-url`) those statements run there and the server reads the objects back, as for a
DDL file (`scratch_objects`). What the models cannot tell: objects that only migrations or
SQL elsewhere create, which `create_all` never sees.

The models are imported in a child process (`child`), with `LoadOptions.path` and the
working directory on `sys.path`: a project's import-time side effects, `sys.exit()` or crash
cannot take schemaudit down, and an import error is one line naming the module that failed
and the missing dependency.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from schemaudit import snapshot
from schemaudit.errors import SourceError
from schemaudit.gcpause import paused_gc
from schemaudit.model import Schema
from schemaudit.sources import LoadOptions
from schemaudit.sources.child import run_child
from schemaudit.sources.models.elements import parse_text_elements
from schemaudit.sources.models.listed import objects_of
from schemaudit.sources.models.parsed import parse_types
from schemaudit.sources.models.scratch_objects import create_all_dialect, with_scratch_objects

DEFAULT_DIALECT = "postgresql"
DIALECTS = ("postgresql", "sqlite", "mysql")
_DOTTED = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")


@dataclass(frozen=True, slots=True)
class ModelsSpec:
    module: str
    attr: str | None

    def __str__(self) -> str:
        return f"models:{self.module}" + (f":{self.attr}" if self.attr else "")


def parse_spec(spec: str) -> ModelsSpec:
    """`models:pkg.module[:attr]` -> its parts, or a clear error for anything else."""
    body = spec.split(":", 1)[1] if spec.lower().startswith("models:") else spec
    module, _, attr = body.partition(":")
    module, attr = module.strip(), attr.strip()
    if not _DOTTED.match(module) or (attr and not _DOTTED.match(attr)):
        raise SourceError(
            f"malformed models source {spec!r}; write models:package.module:Base "
            "(or :metadata, or just models:package.module)"
        )
    return ModelsSpec(module, attr or None)


def parse_specs(spec: str) -> tuple[ModelsSpec, ...]:
    """Several metadata objects (an app's Base and a library's) as one comma list:
    `models:app.models:Base,lib.models:Base` (each part may repeat the `models:` prefix)."""
    body = spec.split(":", 1)[1] if spec.lower().startswith("models:") else spec
    return tuple(parse_spec(part.strip()) for part in body.split(","))


def load(spec: str, options: LoadOptions) -> Schema:
    request = child_request(spec, options)
    label = request["label"]
    data = run_child("schemaudit.sources.models.child", request, label, python=options.python, timeout=options.timeout)
    return from_child(data, request, options)


def child_request(spec: str, options: LoadOptions) -> dict[str, Any]:
    """What the child process is asked to read (bench/profile_stages.py runs it in-process)."""
    parsed = parse_specs(spec)
    label = "models:" + ",".join(str(p).removeprefix("models:") for p in parsed)
    dialect = (options.dialect or DEFAULT_DIALECT).lower()
    dialect = "postgresql" if dialect == "postgres" else "mysql" if dialect == "mariadb" else dialect
    if dialect not in DIALECTS:
        raise SourceError(f"models: unknown dialect {options.dialect!r}; choose from {', '.join(DIALECTS)}")
    return {
        "sources": [[p.module, p.attr] for p in parsed],
        "dialect": dialect,
        "path": list(options.path),
        "schema": options.schema,
        "label": label,
        "lenient": options.lenient,
        "create_all_dialect": create_all_dialect(dialect, options),
        "table_text": options.scratch_url is not None,  # only a scratch server runs them
    }


def from_child(data: dict[str, Any], request: dict[str, Any], options: LoadOptions) -> Schema:
    """The schema from the child's answer: types and text elements parsed, the objects
    `create_all` would make listed (or read back from a scratch server)."""
    label, dialect = request["label"], request["dialect"]
    statements = [str(s) for s in data.pop("create_all", None) or ()]
    with paused_gc():  # a model of many small objects without cycles (see gcpause)
        schema = parse_text_elements(parse_types(snapshot.from_dict(data, where=label)))
    listed = sorted(
        {*schema.not_audited, *objects_of(statements, dialect)}, key=lambda o: (o.kind, o.name, o.table or "")
    )
    return with_scratch_objects(replace(schema, not_audited=tuple(listed)), statements, label, options)
