"""The stages `python -m bench.profile STAGE N` profiles besides `load()` of a database or DDL
file: each builds its input of size N the way its benchmark does and returns the call to
profile, run in this process (a child process's work is profiled in this one, so cProfile
sees it): the code search (`impact`, N files), the Alembic replay (`alembic`, N revisions).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

STAGES = ("impact", "alembic")


@contextmanager
def stage(name: str, size: int, pg_url: str) -> Iterator[Callable[[], object]]:
    with tempfile.TemporaryDirectory(prefix=f"schemaudit-profile-{name}-") as folder:
        yield {"impact": _impact, "alembic": _alembic}[name](Path(folder), size, pg_url)


def _impact(folder: Path, files: int, _: str) -> Callable[[], object]:
    """find_impact in one process over bench/impact_bench.py's tree of `files` files."""
    from bench.impact_bench import build_schemas, build_tree
    from schemaudit.audit import audit
    from schemaudit.audit.config import Config
    from schemaudit.diff.hints import Hints
    from schemaudit.impact import find_impact, search_names
    from schemaudit.sources import load

    target, current, hints = build_schemas(folder)
    result = audit(load(target), load(current), Config().with_hints(Hints.from_specs(hints), override=True))
    build_tree(folder / "code", files, [n.name for n in search_names(result)])
    return lambda: find_impact(result, folder / "code", jobs=1)


def _alembic(folder: Path, revisions: int, pg_url: str) -> Callable[[], object]:
    """The replay as `alembic:` runs it, with its child's work done in this process: a scratch
    database on the server, every revision's upgrade() recorded, the live read, the drop."""
    from bench.alembic_synth import write_project
    from schemaudit.sources import LoadOptions, load
    from schemaudit.sources.alembic import child
    from schemaudit.sources.alembic.source import locate
    from schemaudit.sources.scratch import scratch_database

    write_project(folder, revisions)
    location = locate(f"alembic:{folder / 'alembic.ini'}")

    def run() -> Any:
        with scratch_database(pg_url) as scratch:
            request = {
                "label": location.label,
                "ini": location.ini,
                "location": location.folder,
                "versions": location.versions,
                "revision": None,
                "base": None,
                "path": [],
                "url": scratch.url,
                "dialect": scratch.dialect,
            }
            child.handle(request)
            return load(scratch.live_spec, LoadOptions())

    return run
