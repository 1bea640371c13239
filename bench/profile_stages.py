"""The stages `python -m bench.profile STAGE N` profiles besides `load()` of a database or DDL
file: each builds its input of size N the way its benchmark does and returns the call to
profile, run in this process (a child process's work is profiled in this one, so cProfile
sees it): the code search (`impact`, N files), the Alembic replay (`alembic`, N revisions),
the markdown spec source (`spec`, N tables), the models source (`models`, N columns of
bench/models_synth.py's package in N // 40 modules, its child's work done in this process),
and on the N-table audit pair of
bench/audit_bench.py: `plan` (the plan built from both live sides; the audit is its floor) and
`report` (every report format rendered from the pair's audit).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

STAGES = ("impact", "alembic", "spec", "models", "plan", "report")


@contextmanager
def stage(name: str, size: int, pg_url: str) -> Iterator[Callable[[], object]]:
    with tempfile.TemporaryDirectory(prefix=f"schemaudit-profile-{name}-") as folder:
        if name in ("plan", "report"):
            with _pair(size, pg_url) as (target, current):
                yield _plan(target, current) if name == "plan" else _reports(target, current)
            return
        stages = {"impact": _impact, "alembic": _alembic, "spec": _spec, "models": _models}
        yield stages[name](Path(folder), size, pg_url)


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


def _spec(folder: Path, tables: int, _: str) -> Callable[[], object]:
    """`load()` of bench/stages_bench.py's markdown spec of `tables` tables."""
    from bench.stages_bench import spec_markdown
    from schemaudit.sources import load

    file = folder / "spec.md"
    file.write_text(spec_markdown(tables), encoding="utf-8")
    return lambda: load(f"spec:{file}")


def _models(folder: Path, columns: int, _: str) -> Callable[[], object]:
    """`inspect models:benchmodels:Base --dialect sqlite --format json` as its two processes
    run it, in this one: the child's import of the package (its modules dropped from
    `sys.modules` first, so every run imports them again), conversion and origins, the JSON
    answer, the parent's reading of it and the JSON output. The collector is off (and stays
    off in this process): the child runs with it off, and `inspect` freezes the model it
    built before resuming it, so neither pays the full collection that the end of a pause
    would otherwise charge to `json.loads` or `from_child` here."""
    import gc
    import json
    import sys

    from bench.models_synth import write_package
    from schemaudit import snapshot
    from schemaudit.sources import LoadOptions
    from schemaudit.sources.models import child
    from schemaudit.sources.models.source import child_request, from_child

    package = "benchmodels"
    write_package(folder, package, columns, modules=max(1, columns // 40))
    options = LoadOptions(dialect="sqlite", path=(str(folder),))
    request = child_request(f"models:{package}:Base", options)

    def run() -> str:
        gc.disable()
        for name in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
            del sys.modules[name]
        answer = json.dumps({"ok": True, "data": child.handle(request)})
        return snapshot.dumps(from_child(json.loads(answer)["data"], request, options))

    return run


@contextmanager
def _pair(tables: int, pg_url: str) -> Iterator[tuple[str, str]]:
    from bench.audit_bench import drifted_copy, mutations
    from bench.databases import scratch_postgresql

    with (
        scratch_postgresql(pg_url, tables) as target,
        drifted_copy(pg_url, target.url, tables, mutations(tables)) as (
            current,
            _,
        ),
    ):
        yield target.url, current


def _plan(target: str, current: str) -> Callable[[], object]:
    """What `schemaudit plan` does between reading the sides and writing: read, audit, build."""
    from schemaudit import api

    return lambda: api.plan(api.load(target), api.load(current))


def _reports(target: str, current: str) -> Callable[[], object]:
    """Every report format of the pair's audit (read once, before the profile)."""
    from schemaudit import api
    from schemaudit.report import FORMATS, render

    result = api.audit(api.load(target), api.load(current))
    return lambda: [render(result, fmt) for fmt in FORMATS]
