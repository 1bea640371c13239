"""Source `alembic:path/to/alembic.ini` (or the migrations folder, or its `versions` folder).

The schema `alembic upgrade head` builds, found by building it: each revision's `upgrade()`
is replayed with Alembic's own operations on a scratch database (`scratch`: a
temporary SQLite by default, `LoadOptions.scratch_url` for a PostgreSQL or MySQL server when
the migrations use their types), without the project's `env.py`, in a child process
(`child`); the scratch database is then read by the live source of its dialect and
dropped. `LoadOptions.revision` stops at another revision than the head.

Besides the schema, a replay yields the `History` (what each revision did, with file and
line), which sets every object's `origin` and which `schemaudit history` and the report
appendix show. `replay()` returns both and remembers the last few results, so a command that
needs the schema and the history replays once.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

from schemaudit.errors import SourceError
from schemaudit.model import Schema
from schemaudit.sources import LoadOptions
from schemaudit.sources.alembic.history import History, from_dict
from schemaudit.sources.alembic.origins import with_origins
from schemaudit.sources.child import display_path, run_child
from schemaudit.sources.scratch import scratch_database

_CACHE_SIZE = 4


@dataclass(frozen=True, slots=True)
class Location:
    """Where the migrations are: an ini file, or a script folder (and its versions folder)."""

    label: str
    ini: str | None
    folder: str
    versions: str | None


@dataclass(frozen=True, slots=True)
class Replay:
    schema: Schema
    history: History


def load(spec: str, options: LoadOptions) -> Schema:
    return replay(spec, options).schema


def history(spec: str, options: LoadOptions) -> History:
    """The migration timeline (replays unless this process just did)."""
    return replay(spec, options).history


def locate(spec: str) -> Location:
    """Resolve a spec to the ini file or the folders, with a clear error for anything else."""
    raw = spec.split(":", 1)[1] if spec.lower().startswith("alembic:") else spec
    if not raw.strip():
        raise SourceError("alembic source needs a path: alembic:alembic.ini or alembic:migrations/versions")
    path = Path(raw).expanduser()
    label = f"alembic:{raw}"
    if not path.exists():
        raise SourceError(f"{label}: {raw} does not exist")
    if path.is_file():
        if path.suffix.lower() not in (".ini", ".cfg"):
            raise SourceError(f"{label}: expected an alembic.ini file or a migrations folder")
        return Location(label, str(path.resolve()), _script_location(path, label), None)
    folder = path.resolve()
    if (folder / "env.py").is_file() or (folder / "versions").is_dir():
        versions = folder / "versions"
        return Location(label, None, str(folder), str(versions) if versions.is_dir() else None)
    if not any(p.suffix == ".py" for p in folder.iterdir()):
        raise SourceError(f"{label}: {raw} holds no revision files (*.py)")
    return Location(label, None, str(folder.parent), str(folder))


def _script_location(ini: Path, label: str) -> str:
    """The migrations folder an ini file names (`%(here)s` expanded). A relative path is
    tried against the working directory first, as alembic does, then against the ini's own
    folder (a project audited from its root); one that holds migrations wins over one that
    does not. An ini without `script_location` (flask-migrate
    writes one into the migrations folder) means the folder it sits in."""
    from alembic.config import Config

    try:
        location = Config(str(ini)).get_main_option("script_location")
    except Exception as exc:  # configparser errors of a malformed ini
        raise SourceError(
            f"{label}: cannot read {ini}: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"
        ) from None
    here = ini.resolve().parent
    if not location:
        if (here / "env.py").is_file() or (here / "versions").is_dir():
            return str(here)
        raise SourceError(f"{label}: {ini} has no script_location in its [alembic] section")
    folder = Path(location).expanduser()
    candidates = [c for c in (folder, here / folder) if c.is_dir()]
    # a folder that holds migrations first: Flask-Migrate's `script_location = .` beside
    # migrations/alembic.ini means that folder (it sets the location at run time), not the
    # project root a command runs from
    for candidate in sorted(candidates, key=lambda c: not ((c / "env.py").is_file() or (c / "versions").is_dir())):
        return str(candidate.resolve())
    if ":" in location and not folder.is_absolute():  # `package:folder`: on disk if we can, else alembic's
        found = _package_resource(location, ini)
        return str(found.resolve()) if found is not None else location
    tried = f"tried . and {display_path(here)}"
    raise SourceError(f"{label}: script_location {location} in {ini} is not a folder ({tried})")


def _package_resource(location: str, ini: Path) -> Path | None:
    """`package.module:folder` (Alembic's package-resource form, common in installed
    projects), found on disk without importing the package: under an ancestor of the ini
    file, the working directory, or an entry of sys.path."""
    import re
    import sys

    match = re.fullmatch(r"([A-Za-z_][\w.]*):(.+)", location)
    if match is None:
        return None
    relative = Path(*match.group(1).split(".")) / match.group(2)
    for root in (*ini.resolve().parents, Path.cwd(), *(Path(p) for p in sys.path if p)):
        if (root / relative).is_dir():
            return root / relative
    return None


def replay(spec: str, options: LoadOptions) -> Replay:
    """Replay the migrations on a fresh scratch database, read it, and drop it."""
    location = locate(spec)
    key = _cache_key(location, options)
    cached = _CACHE.get(key)
    if cached is not None:
        return cached
    with scratch_database(options.scratch_url) as scratch:
        request = {
            "label": location.label,
            "ini": location.ini,
            "location": location.folder,
            "versions": location.versions,
            "revision": options.revision,
            "base": _base(options.base, location.label),
            "path": list(options.path),
            "url": scratch.url,
            "dialect": scratch.dialect,
        }
        data = run_child(
            "schemaudit.sources.alembic.child",
            request,
            location.label,
            secrets=(scratch.password,),
            python=options.python,
            timeout=options.timeout,
            unit="revisions replayed",
        )
        recorded = replace(from_dict(data), source=location.label)
        from schemaudit.sources import load as load_source

        live = load_source(scratch.live_spec, LoadOptions(schema=options.schema))
    schema = replace(with_origins(live, recorded), origin=location.label, name=options.schema)
    result = Replay(schema, recorded)
    _CACHE[key] = result
    while len(_CACHE) > _CACHE_SIZE:
        _CACHE.pop(next(iter(_CACHE)))
    return result


_CACHE: dict[tuple[object, ...], Replay] = {}


def _base(spec: str | None, label: str) -> dict[str, str] | None:
    """What the child builds before the first revision: a models source's MetaData
    (`create_all`, as the project itself does) or a DDL file's statements."""
    if not spec:
        return None
    kind, _, body = spec.partition(":")
    if kind.lower() == "models":
        module, _, attr = body.partition(":")
        return {"kind": "models", "module": module.strip(), "attr": attr.strip() or "Base", "label": spec}
    if kind.lower() == "ddl":
        path = Path(body).expanduser()
        if not path.is_file():
            raise SourceError(f"{label}: --base {spec}: {body} is not a file")
        return {"kind": "ddl", "sql": path.read_text(encoding="utf-8"), "label": spec}
    raise SourceError(f"{label}: --base takes a models: or ddl: source (the tables before the first revision)")


def _cache_key(location: Location, options: LoadOptions) -> tuple[object, ...]:
    """Same migrations (files unchanged), same options, same working directory."""
    folders = [location.folder] + ([location.versions] if location.versions else [])
    stamps: list[tuple[str, int]] = []
    for folder in folders:
        for root, _, files in os.walk(folder):
            stamps.extend(
                (os.path.join(root, f), os.stat(os.path.join(root, f)).st_mtime_ns) for f in files if f.endswith(".py")
            )
    if location.ini:
        stamps.append((location.ini, os.stat(location.ini).st_mtime_ns))
    return (location, options, display_path("."), tuple(sorted(stamps)))
