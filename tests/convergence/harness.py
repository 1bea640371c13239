"""Run one (current, desired) pair: build both on a real database, plan, apply, prove.

Pair file format (`NNN_name.sql`):

    -- hints: table users=app_users; column projects.user_id=owner_user_id
    -- options: sqlite_version=3.24.0
    -- expect: RenameTable AddColumn
    -- current
    CREATE TABLE ...;
    INSERT INTO ...;
    -- desired
    CREATE TABLE ...;

`names` lists index and constraint names the migrated schema must have (renames);
`hints` are rename hints (where a rename is intended and the scorer could doubt it);
`expect` names change kinds compare() must find (`A|B`: either; dialects differ, e.g. a
unique index is a unique constraint on MySQL), so a pair cannot silently test something
other than what its author meant; `options` tune the plan. For every pair: the current
schema is built and loaded with rows, the desired one built beside it; the plan (drops
allowed) is written as a plan folder and applied through `schemaudit.apply.run`. The verdict
is the independent judge's (`judge.py`, no schemaudit code): the migrated database's catalog
must be the one the desired DDL built, and every table's row values must have survived
(followed through renames, except tables and columns the target drops). schemaudit's own
claims must agree with it: its re-audit shows no actionable change, a second plan is empty.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from schemaudit.apply.run import ApplyOptions, apply
from schemaudit.audit import Config, audit
from schemaudit.diff.hints import Hints
from schemaudit.model import Schema
from schemaudit.plan import PlanOptions, build
from schemaudit.plan import folder as plan_folder
from schemaudit.plan.dialects.sqlite import parse_version
from tests.convergence import judge

ROOT = Path(__file__).parent
DATE = dt.date(2026, 2, 21)
_HEADER = re.compile(r"^--\s*(hints|options|expect|names|catalog-differs):\s*(.*)$", re.IGNORECASE)


@dataclass(frozen=True)
class Pair:
    name: str
    current: str
    desired: str
    hints: Hints = Hints()
    expect: tuple[str, ...] = ()
    options: dict[str, str] = field(default_factory=dict)
    names: tuple[str, ...] = ()
    # catalog objects (the judge's keys) known to differ, each with the reason; the pair fails
    # if any other object differs, and also when a listed one no longer does (keep it true)
    differs: tuple[tuple[str, str], ...] = ()


def pairs(dialect: str) -> list[Pair]:
    """The common pairs and the dialect's own, in file order."""
    files = sorted((ROOT / "common").glob("*.sql")) + sorted((ROOT / dialect).glob("*.sql"))
    found = [read_pair(f, f"{f.parent.name}/{f.stem}") for f in files]
    only = os.environ.get("SCHEMAUDIT_PAIRS")  # a local focus: comma-separated name fragments
    if only:
        found = [p for p in found if any(part in p.name for part in only.split(","))]
    return found


def read_pair(path: Path, name: str) -> Pair:
    text = path.read_text(encoding="utf-8")
    sections: dict[str, list[str]] = {"current": [], "desired": []}
    where: str | None = None
    hints: dict[str, dict[str, str]] = {"table": {}, "column": {}}
    expect: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    options: dict[str, str] = {}
    differs: list[tuple[str, str]] = []
    for line in text.splitlines():
        stripped = line.strip().lower()
        if stripped in ("-- current", "-- desired"):
            where = stripped[3:]
            continue
        header = _HEADER.match(line.strip()) if where is None else None
        if header:
            key, value = header.group(1).lower(), header.group(2)
            if key == "hints":
                for item in filter(None, (i.strip() for i in value.split(";"))):
                    kind, _, spec = item.partition(" ")
                    old, _, new = spec.partition("=")
                    hints[kind.strip()][old.strip()] = new.strip()
            elif key == "expect":
                expect = tuple(value.split())
            elif key == "names":
                names = tuple(value.split())
            elif key == "catalog-differs":
                obj, _, reason = value.partition("|")
                differs.append((obj.strip(), reason.strip()))
            else:
                options.update(dict(o.split("=", 1) for o in value.split()))
            continue
        if where is not None:
            sections[where].append(line)
    if not sections["current"] or not sections["desired"]:
        raise ValueError(f"{path}: needs a '-- current' and a '-- desired' section")
    return Pair(
        name,
        "\n".join(sections["current"]),
        "\n".join(sections["desired"]),
        Hints.from_mapping(hints),
        expect,
        options,
        names,
        tuple(differs),
    )


def _object_names(table: Any) -> list[str]:
    names = [i.name for i in table.indexes] + [u.name for u in table.uniques] + [c.name for c in table.checks]
    names += [f.name for f in table.foreign_keys] + ([table.primary_key.name] if table.primary_key else [])
    return [n for n in names if n]


def statements(sql: str) -> list[str]:
    """Split a pair section into statements (`;` at the end of a line ends one)."""
    out, buf = [], []
    for line in sql.splitlines():
        if line.strip().startswith("--") and not buf:
            continue
        buf.append(line)
        if line.rstrip().endswith(";"):
            text = "\n".join(buf).strip().rstrip(";").strip()
            if text:
                out.append(text)
            buf = []
    if "".join(buf).strip():
        out.append("\n".join(buf).strip())
    return out


@dataclass
class Backend:
    """How one dialect builds, loads and counts (implemented in the test module)."""

    dialect: str
    build: Callable[[str, str], None]  # (place, sql): create the schema from DDL + rows
    load: Callable[[str], Schema]  # place -> schema
    url: Callable[[str], str]  # place -> URL for apply
    schema: Callable[[str], str | None]  # place -> --schema for apply
    rows: Callable[[str], dict[str, tuple[list[str], list[tuple[Any, ...]]]]]  # place -> table -> columns, rows
    fingerprint: Callable[[str], judge.Fingerprint]  # place -> the catalog, described by the database
    alembic_url: Callable[[str], str] = str  # place -> SQLAlchemy URL for `alembic upgrade`
    run_script: Callable[[str, str], None] | None = None  # (place, plan.sql): the client runs it


def _plan(pair: Pair, backend: Backend, current_place: str, desired_place: str) -> tuple[Any, Any, Config, Any]:
    """Build both sides, compare, plan: (target, audit, config, plan), or raise _Failed."""
    try:
        backend.build(current_place, pair.current)
        backend.build(desired_place, pair.desired)
    except Exception as exc:  # the pair's own SQL is wrong for this dialect
        raise _Failed(f"building the pair failed: {type(exc).__name__}: {exc}") from None
    target = backend.load(desired_place)
    current = backend.load(current_place)
    config = Config(hints=pair.hints)
    first = audit(target, current, config)
    found = {type(c).__name__ for c in first.changes.actionable}
    missing = [k for k in pair.expect if not set(k.split("|")) & found]
    if missing:
        raise _Failed(f"compare() did not find {missing} (found {sorted(found)})")
    plan = build(first.changes, first.target, first.current, _options(pair, backend, current_place))
    if first.changes.actionable and not plan.steps:
        raise _Failed(f"changes but an empty plan; kept: {[k.reason for k in plan.kept]}")
    return target, first, config, plan


class _Failed(Exception):
    """A pair that did not converge, with what went wrong."""


def _options(pair: Pair, backend: Backend, current_place: str) -> PlanOptions:
    version = pair.options.get("sqlite_version")
    return PlanOptions(
        dialect=backend.dialect,
        allow_drop=pair.options.get("allow_drop", "yes") != "no",
        date=DATE,
        sqlite_version=parse_version(version) if version else None,
        concurrent_indexes=pair.options.get("concurrent") == "yes",
        schema=backend.schema(current_place) if backend.dialect == "postgresql" else None,
    )


def run_pair(pair: Pair, backend: Backend, current_place: str, desired_place: str) -> str | None:
    """None when the pair converged with every row kept; else what went wrong."""
    try:
        target, first, config, plan = _plan(pair, backend, current_place, desired_place)
    except _Failed as failed:
        return str(failed)
    before = backend.rows(current_place)
    folder = Path(tempfile.mkdtemp(prefix="schemaudit_plan_"))
    try:
        plan_folder.write(plan, folder)
        result = apply(
            folder,
            backend.url(current_place),
            ApplyOptions(schema=backend.schema(current_place), config=config, backup=False),
        )
    except Exception as exc:  # a failed step is a failed pair, reported with its message
        return f"apply failed: {exc}"
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    wrong = _judged(pair, backend, first, before, current_place, desired_place)
    if wrong:
        return wrong
    assert result.audit is not None
    left = result.audit.changes.actionable
    if left:
        return "the catalogs agree but schemaudit's re-audit does not: " + "; ".join(c.describe() for c in left)
    final = backend.load(current_place)
    have = {n for t in final.tables for n in _object_names(t)}
    missing_names = [n for n in pair.names if n not in have]
    if missing_names:
        return f"objects not renamed to their target names: {missing_names}"
    again = audit(target, final, config)
    second = build(again.changes, again.target, again.current, _options(pair, backend, current_place))
    if second.steps:
        return f"second plan not empty: {[s.id for s in second.steps]}"
    return None


def _judged(
    pair: Pair, backend: Backend, first: Any, before: Any, current_place: str, desired_place: str
) -> str | None:
    """The independent judge's verdict on the migrated database: its catalog, and its values."""
    catalog = _catalog_diff(backend, current_place, desired_place)
    known = set()
    for obj, _ in pair.differs:  # "mysql table t" applies to one dialect, "table t" to all
        head, _, rest = obj.partition(" ")
        if head not in ("sqlite", "postgresql", "mysql"):
            known.add(obj)
        elif head == backend.dialect:
            known.add(rest)
    unexpected = [line for line in catalog if line.split(":", 1)[0] not in known]
    if unexpected:
        return "catalog differs from the target's: " + "; ".join(unexpected)
    stale = known - {line.split(":", 1)[0] for line in catalog}
    if stale:
        return f"catalog-differs lists {sorted(stale)}, which no longer differ: remove the header"
    return _values_lost(first.changes.changes, before, backend.rows(current_place))


def _catalog_diff(backend: Backend, migrated: str, built: str) -> list[str]:
    """The judge's differences; Alembic's own bookkeeping table (left by the Alembic route) aside."""

    def own(fingerprint: judge.Fingerprint) -> judge.Fingerprint:
        return {k: v for k, v in fingerprint.items() if ALEMBIC_VERSION not in k}

    return judge.diff(own(backend.fingerprint(migrated)), own(backend.fingerprint(built)))


def _values_lost(
    changes: Any,
    before: dict[str, tuple[list[str], list[tuple[Any, ...]]]],
    after: dict[str, tuple[list[str], list[tuple[Any, ...]]]],
) -> str | None:
    """Per-table checksums of the row values over the columns both sides keep (renames
    followed; columns whose values the target converts incompatibly are left out)."""
    tables = {c.from_.lower(): c.to for c in changes if type(c).__name__ == "RenameTable"}
    dropped = {c.table.lower() for c in changes if type(c).__name__ == "DropTable"}
    # a dropped partition goes with its rows (and its own partitions); its table keeps the others
    gone = [c.from_ for c in changes if type(c).__name__ == "DropPartition"]
    # a table partitioned anew keeps its rows in its new partitions (its own checksum says so)
    # (and so does a partition partitioned anew: its old partitions go, its own rows stay)
    gone += [
        p
        for c in changes
        if type(c).__name__ == "ModifyTable"
        or (type(c).__name__ == "ModifyPartition" and "partitioning" in {k.value for k in c.kinds})
        for p in c.from_.partitions
    ]
    while gone:
        partition = gone.pop()
        dropped.add(partition.name.lower())
        gone.extend(partition.partitions)
    # a dropped SQLite virtual table goes with its shadow tables (`name_content`, `name_segdir`...)
    virtual = {c.name.lower() for c in changes if type(c).__name__ == "DropObject" and c.kind == "virtual table"}
    dropped |= {t.lower() for t in before if t.lower() in virtual or t.lower().rsplit("_", 1)[0] in virtual}
    columns: dict[str, dict[str, str]] = {}
    converted: dict[str, set[str]] = {}
    for c in changes:
        name = type(c).__name__
        if name == "RenameColumn":
            columns.setdefault(c.table.lower(), {})[c.from_] = c.to
        elif name == "ModifyColumn" and (
            (c.type_relation is not None and c.type_relation.value == "incompatible")
            or ("generated" in {k.value for k in c.kinds} and c.to.generated is not None)
        ):  # values the target converts or computes anew (a column that stops being computed keeps them)
            converted.setdefault(c.table.lower(), set()).add(c.to.name)
    keep_before: dict[str, list[str]] = {}
    keep_after: dict[str, list[str]] = {}
    for table, (names, _) in before.items():
        if table.lower() in dropped:
            continue
        new = tables.get(table.lower(), table)
        found = new if new in after else next((t for t in after if t.lower() == new.lower()), None)
        if found is None:
            return f"table {table} is gone after apply"
        after_names = set(after[found][0])
        renamed = columns.get(new.lower(), {})
        pairs = [(n, renamed.get(n, n)) for n in names]
        pairs = [(a, b) for a, b in pairs if b in after_names and b not in converted.get(new.lower(), set())]
        keep_before[table] = [a for a, _ in pairs]
        keep_after[found] = [b for _, b in pairs if b]
    old = judge.checksums(before, keep_before)
    new_sums = judge.checksums(after, keep_after)
    for table, columns_kept in keep_before.items():
        wanted = tables.get(table.lower(), table)
        found = wanted if wanted in keep_after else next(t for t in keep_after if t.lower() == wanted.lower())
        if old[table] != new_sums[found]:
            return f"row values of {table} ({', '.join(columns_kept)}): {old[table]} before, {new_sums[found]} after"
    return None


ALEMBIC_VERSION = "alembic_version"
ALEMBIC_ENV = """
from alembic import context
from sqlalchemy import engine_from_config, pool

config = context.config
section = config.get_section(config.config_ini_section)
engine = engine_from_config(section, prefix="sqlalchemy.", poolclass=pool.NullPool)
with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=None,
        version_table_schema=config.get_main_option("version_table_schema") or None,
    )
    with context.begin_transaction():
        context.run_migrations()
"""


def run_pair_alembic(pair: Pair, backend: Backend, current_place: str, desired_place: str) -> str | None:
    """The same proof through the Alembic revision, from a connection with the default search
    path: `alembic upgrade head` as written, judged by the catalog and the values; then
    `alembic downgrade -1` must run, and where the revision undoes everything (no "Not undone"
    line), give back the catalog the current side had."""
    from alembic import command
    from alembic.config import Config as AlembicConfig

    from schemaudit.plan.alembic_script import file_name, render

    try:
        target, first, config, plan = _plan(pair, backend, current_place, desired_place)
    except _Failed as failed:
        return str(failed)
    before = backend.rows(current_place)
    catalog_before = backend.fingerprint(current_place)
    revision = render(plan)
    scripts = Path(tempfile.mkdtemp(prefix="schemaudit_alembic_"))
    step = "upgrade"
    try:
        (scripts / "versions").mkdir()
        (scripts / "env.py").write_text(ALEMBIC_ENV, encoding="utf-8")
        (scripts / "versions" / file_name(plan)).write_text(revision, encoding="utf-8")
        cfg = AlembicConfig()
        cfg.set_main_option("script_location", str(scripts))
        cfg.set_main_option("sqlalchemy.url", backend.alembic_url(current_place).replace("%", "%%"))
        if backend.dialect == "postgresql":
            cfg.set_main_option("version_table_schema", current_place)
        command.upgrade(cfg, "head")
        wrong = _judged(pair, backend, first, before, current_place, desired_place)
        if wrong:
            return wrong
        left = audit(target, backend.load(current_place), config).changes.actionable
        if left:
            return "not converged: " + "; ".join(c.describe() for c in left)
        step = "downgrade"
        command.downgrade(cfg, "-1")
    except Exception as exc:
        return f"alembic {step} failed: {type(exc).__name__}: {str(exc).splitlines()[0]}"
    finally:
        shutil.rmtree(scripts, ignore_errors=True)
    if "# Not undone" not in revision:
        own = {k: v for k, v in backend.fingerprint(current_place).items() if ALEMBIC_VERSION not in k}
        back = judge.diff(own, catalog_before)
        if back:
            return "alembic downgrade -1 did not give back the current catalog: " + "; ".join(back)
    return None


def run_pair_script(pair: Pair, backend: Backend, current_place: str, desired_place: str) -> str | None:
    """The plan as one SQL script, run by the database's own client from a plain connection
    (`psql -f plan.sql`: no search path set), judged like the others."""
    from schemaudit.plan.render_sql import script

    assert backend.run_script is not None
    try:
        _, first, _, plan = _plan(pair, backend, current_place, desired_place)
    except _Failed as failed:
        return str(failed)
    before = backend.rows(current_place)
    try:
        backend.run_script(current_place, script(plan))
    except Exception as exc:
        return f"the SQL script failed: {str(exc).strip().splitlines()[-1] if str(exc).strip() else exc}"
    return _judged(pair, backend, first, before, current_place, desired_place)
