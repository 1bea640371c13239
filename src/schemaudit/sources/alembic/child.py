"""The child process of the alembic source: replay the revisions on the scratch database.

Run as `python -m schemaudit.sources.alembic.child` by `source` (protocol in
`sources.child`). The project's `env.py` is never run: it usually imports app settings and
async drivers. Instead we set up what `env.py` would, an `EnvironmentContext` (so
`alembic.context` works in revisions) configured on our connection with no target metadata,
and call each revision's `upgrade()` in upgrade order, one transaction per revision owned by
the migration context as `alembic upgrade` does (so `autocommit_block()` works), with an
instrumented `op` (`record`). Problems with the revision graph (a broken file, a
cycle, two heads without a merge, an unknown revision) and a failing `upgrade()` are one
line naming the file.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Sequence
from typing import Any

from alembic.config import Config
from alembic.runtime.environment import EnvironmentContext
from alembic.script import Script, ScriptDirectory
from alembic.util import CommandError

from schemaudit.errors import SourceError
from schemaudit.sources.alembic.history import History, RevisionRecord, to_dict
from schemaudit.sources.alembic.record import Recorder, RecordingOperations
from schemaudit.sources.child import display_path, one_line, report_progress, serve, user_frame

_CREATE_DATE = re.compile(r"^\s*Create Date:\s*(.+?)\s*$", re.MULTILINE)
_SQLITE_HINT = (
    "; SQLite cannot run this (the default scratch database is SQLite): replay on the project's database "
    "with --scratch-url postgresql://... or mysql://..."
)


def handle(request: dict[str, Any]) -> dict[str, Any]:
    roots = [os.path.abspath(p) for p in request["path"]] + [os.getcwd()]
    for root in reversed(roots):
        sys.path.insert(0, root)
    config, script = open_scripts(request)
    order, head = upgrade_order(script, request.get("revision"), roots)
    records, notes = replay(config, script, order, request, roots)
    history = History(request["label"], tuple(records), head, request["dialect"], tuple(notes))
    return to_dict(history)


def open_scripts(request: dict[str, Any]) -> tuple[Config, ScriptDirectory]:
    """The project's alembic Config (from alembic.ini, or a bare one for a folder) and its
    ScriptDirectory, which loads (imports) every revision file."""
    ini, location, versions = request.get("ini"), request["location"], request.get("versions")
    config = Config(ini) if ini else Config()
    try:
        if ini:
            # the folder the parent resolved (relative to the ini, or the ini's own folder
            # for a flask-migrate ini without script_location)
            config.set_main_option("script_location", location)
            script = ScriptDirectory.from_config(config)
        else:
            config.set_main_option("script_location", location)
            script = ScriptDirectory(location, version_locations=[versions] if versions else None)
    except CommandError as exc:
        raise SourceError(f"{request['label']}: {exc}") from None
    return config, script


def upgrade_order(script: ScriptDirectory, revision: str | None, roots: list[str]) -> tuple[list[Script], str]:
    """The revisions `upgrade REVISION` (default: the single head) runs, in order."""
    folders = [str(p) for p in script._version_locations]
    try:
        heads = script.get_heads()
        if revision is None:
            if not heads:
                raise SourceError(f"no revisions found in {', '.join(display_path(f) for f in folders)}")
            if len(heads) > 1 and _independent(script, heads):
                # independent histories in one project (a plugin's own tree in another
                # version location): upgrade builds them all, each from its own base
                order = list(reversed(list(script.iterate_revisions(tuple(sorted(heads)), None, implicit_base=True))))
                return order, ",".join(sorted(heads))
            if len(heads) > 1:
                listed = ", ".join(f"{h} ({_path_of(script, h)})" for h in sorted(heads))
                raise SourceError(
                    f"{len(heads)} heads without a merge revision: {listed}; merge them "
                    "(alembic merge heads) or choose one with --revision"
                )
            target = heads[0]
        else:
            try:
                found = script.get_revision(revision)
            except CommandError:
                found = None
            if found is None:
                raise SourceError(f"unknown revision {revision!r} (heads: {', '.join(sorted(heads)) or 'none'})")
            target = found.revision
        order = list(reversed(list(script.iterate_revisions(target, None, implicit_base=True))))
    except SourceError:
        raise
    except Exception as exc:  # graph errors, and any error loading a revision file
        raise SourceError(graph_error(exc, roots + folders, folders)) from None
    return order, target


def _independent(script: ScriptDirectory, heads: Sequence[str]) -> bool:
    """Whether no two heads share a revision: separate histories, not unmerged branches."""
    seen: set[str] = set()
    for head in heads:
        mine = {r.revision for r in script.iterate_revisions(head, None, implicit_base=True)}
        if mine & seen:
            return False
        seen |= mine
    return True


def graph_error(exc: BaseException, roots: list[str], folders: list[str]) -> str:
    """One line for a revision file that does not load or a revision graph that is broken
    (naming the files of the revisions involved, found by reading the files' text)."""
    if isinstance(exc, SyntaxError) and exc.filename:
        return f"{display_path(exc.filename)}:{exc.lineno}: cannot load revision: SyntaxError: {exc.msg}"
    frame = user_frame(exc.__traceback__, roots)
    if frame is not None:
        return f"{display_path(frame[0])}:{frame[1]}: cannot load revision: {one_line(exc)}"
    label = "revision cycle" if "Cycle" in type(exc).__name__ else "broken revision graph"
    message = one_line(exc).split(": ", 1)[-1]
    files = revision_files(folders)
    involved = sorted({files[r] for r in re.findall(r"[\w-]+", message) if r in files})
    return f"{label}: {message}" + (f" ({', '.join(involved)})" if involved else "")


_REVISION_LINE = re.compile(r"^revision\s*(?::[^=]*)?=\s*['\"]([^'\"]+)['\"]", re.MULTILINE)


def revision_files(folders: list[str]) -> dict[str, str]:
    """Revision id -> file, read from the text of the revision files (when alembic itself
    cannot build its map, a cycle for instance)."""
    out: dict[str, str] = {}
    for folder in folders:
        for root, _, names in os.walk(folder):
            for name in sorted(n for n in names if n.endswith(".py")):
                path = os.path.join(root, name)
                try:
                    with open(path, encoding="utf-8") as handle:
                        match = _REVISION_LINE.search(handle.read())
                except (OSError, UnicodeDecodeError):
                    continue
                if match:
                    out.setdefault(match.group(1), display_path(path))
    return out


def _path_of(script: ScriptDirectory, revision: str) -> str:
    found = script.get_revision(revision)
    return display_path(found.path) if found is not None else revision


def replay(
    config: Config, script: ScriptDirectory, order: list[Script], request: dict[str, Any], roots: list[str]
) -> tuple[list[RevisionRecord], list[str]]:
    """Run each revision's upgrade() on the scratch database, recording what it does."""
    import sqlalchemy as sa

    url, dialect = request["url"], request["dialect"]
    recorder = Recorder(dialect)
    out: list[RevisionRecord] = []

    def run(conn: Any) -> None:
        if request.get("base"):
            build_base(conn, request["base"], roots)
        _no_flush_wait(conn, dialect)
        with EnvironmentContext(config, script) as env:
            # what `alembic upgrade head` does with `transaction_per_migration`: the
            # migration context owns each revision's transaction, so a revision can leave it
            # with `op.get_context().autocommit_block()` (CREATE INDEX CONCURRENTLY)
            env.configure(connection=conn, target_metadata=None, transaction_per_migration=True)
            context = env.get_context()
            operations = RecordingOperations(context, recorder)
            operations._install_proxy()
            try:
                report_progress(request, 0, len(order))
                for position, revision in enumerate(order):
                    recorder.start(revision.path)
                    _upgrade(context, revision, dialect, roots, first=position == 0 and not request.get("base"))
                    out.append(_record(revision, recorder))
                    report_progress(request, position + 1, len(order))
            finally:
                operations._remove_proxy()

    try:
        on_scratch(url, run)
    except sa.exc.OperationalError as exc:
        raise SourceError(f"cannot use the scratch {dialect} database: {one_line(exc.orig or exc)}") from None
    return out, recorder.notes


def _no_flush_wait(conn: Any, dialect: str) -> None:
    """Commit without waiting for the disk. Each revision commits on its own (a later one may
    use an enum value an earlier one added, which PostgreSQL allows only once committed),
    and waiting for each commit to reach the disk was most of a long history's replay; the
    scratch database is thrown away, so a commit lost to a crash loses nothing."""
    statement = {"postgresql": "SET synchronous_commit TO off", "sqlite": "PRAGMA synchronous = OFF"}.get(dialect)
    if statement is not None:
        conn.exec_driver_sql(statement)
        if hasattr(conn, "commit"):  # SQLAlchemy 1.4's Connection commits by itself
            conn.commit()


# drivers tried in turn when the interpreter (a project's, with --python) lacks the first
_DRIVERS = {"postgresql": ("psycopg", "psycopg2", "pg8000"), "mysql": ("pymysql", "mysqldb", "mysqlconnector")}


def on_scratch(url: str, work: Any) -> None:
    """`work(connection)` on the scratch database. With an async driver in the URL
    (`postgresql+asyncpg://`, the driver a project's async env.py migrates with) the
    connection is the sync face of an async one, as `connection.run_sync` gives env.py."""
    engine = scratch_engine(url)
    if not engine.dialect.is_async:
        try:
            with engine.connect() as conn:
                work(conn)
        finally:
            engine.dispose()
        return
    import asyncio

    async def run() -> None:
        try:
            async with engine.connect() as conn:
                await conn.run_sync(work)
        finally:
            await engine.dispose()

    asyncio.run(run())


def scratch_engine(url: str) -> Any:
    """An engine on the scratch database with a driver this interpreter has: a project's
    interpreter may have psycopg2 where schemaudit's has psycopg."""
    import sqlalchemy as sa
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    backend = parsed.drivername.split("+", 1)[0]
    first = parsed.drivername.split("+", 1)[1] if "+" in parsed.drivername else None
    drivers = _DRIVERS.get(backend, ())
    # another driver is tried only in place of the default one (a driver named in the URL,
    # asyncpg for an async project, is what the revisions need)
    others = drivers[1:] if first in (None, *drivers[:1]) else ()
    tried = []
    for driver in (first, *(d for d in others if d != first)):
        candidate = parsed.set(drivername=f"{backend}+{driver}" if driver else backend)
        try:
            if candidate.get_dialect().is_async:  # the driver an async env.py migrates with
                from sqlalchemy.ext.asyncio import create_async_engine

                return create_async_engine(candidate, poolclass=sa.pool.NullPool)
            return sa.create_engine(candidate, poolclass=sa.pool.NullPool)
        except (ImportError, sa.exc.NoSuchModuleError) as exc:  # no module, or a dialect this SQLAlchemy lacks
            if not others:
                raise SourceError(
                    f"{sys.executable} cannot use the scratch URL's driver {driver}: {one_line(exc)}"
                ) from None
            tried.append(driver or "the default")
    raise SourceError(
        f"{sys.executable} has no {backend} driver ({', '.join(tried)} are not installed): "
        f"install one in that interpreter (pip install {'psycopg2-binary' if backend == 'postgresql' else 'pymysql'})"
    )


def build_base(conn: Any, base: dict[str, str], roots: list[str]) -> None:
    """The tables a project makes before its first revision: `metadata.create_all()` of
    its models (imported like the models source does), or a DDL file's statements."""
    from schemaudit.sources.models.child import import_module, metadata_of

    label = base["label"]
    try:
        with conn.begin():
            if base["kind"] == "models":
                module = import_module(base["module"], roots)
                metadata_of(module, base["module"], base["attr"]).create_all(conn)
            else:
                for statement in split_statements(base["sql"]):
                    conn.exec_driver_sql(statement)
    except SourceError as exc:
        raise SourceError(f"--base {label}: {exc}") from None
    except Exception as exc:  # the database refused the base
        raise SourceError(f"--base {label}: cannot build it on the scratch database: {_db_error(exc)}") from None


def split_statements(sql: str) -> list[str]:
    """A DDL file's statements, split on semicolons outside quotes and comments."""
    out, current, quote, i = [], [], "", 0
    while i < len(sql):
        ch = sql[i]
        if quote:
            current.append(ch)
            if ch == quote:
                quote = ""
        elif ch in "'\"`":
            quote = ch
            current.append(ch)
        elif sql.startswith("--", i):
            end = sql.find("\n", i)
            i = len(sql) if end < 0 else end
            continue
        elif ch == ";":
            out.append("".join(current).strip())
            current = []
        else:
            current.append(ch)
        i += 1
    out.append("".join(current).strip())
    return [s for s in out if s]


def _upgrade(context: Any, revision: Script, dialect: str, roots: list[str], first: bool) -> None:
    upgrade = getattr(revision.module, "upgrade", None)
    if not callable(upgrade):
        raise SourceError(f"{display_path(revision.path)}: revision {revision.revision} has no upgrade() function")
    try:
        with context.begin_transaction(_per_migration=True):
            upgrade()
    except BaseException as exc:  # user code may raise anything
        line = _line_in(exc, revision.path)
        where = display_path(revision.path) + (f":{line}" if line else "")
        hint = _hint(exc, dialect, first)
        raise SourceError(
            f"{where}: upgrade() of revision {revision.revision} failed on the scratch {dialect} database: "
            f"{_db_error(exc)}{hint}"
        ) from None


_MISSING_TABLE = re.compile(
    r"no such table: ([\w.\"`]+)|relation \"([^\"]+)\" does not exist|Table '([^']+)' doesn't exist"
    r"|NoSuchTableError: ([\w.]+)",
    re.IGNORECASE,
)
_FOREIGN_SYNTAX = ("syntax error", "no such function", "unknown function", "not supported")


def _hint(exc: BaseException, dialect: str, first: bool) -> str:
    """What to do next: a table the first revision expects that nothing created (the
    project builds its base tables with create_all), or DDL that SQLite cannot run."""
    import sqlalchemy as sa

    text = f"{type(exc).__name__}: {exc}"
    missing = _MISSING_TABLE.search(text) if first else None
    if missing:
        table = next(g for g in missing.groups() if g).strip('"`')
        return (
            f"; table {table} does not exist before this revision: if the project creates its base tables "
            "with metadata.create_all(), pass --base models:package.module:Base"
        )
    if dialect != "sqlite":
        return ""
    if isinstance(exc, (NotImplementedError, sa.exc.CompileError)) or (
        isinstance(exc, sa.exc.DBAPIError) and any(s in str(exc).lower() for s in _FOREIGN_SYNTAX)
    ):
        return _SQLITE_HINT
    return ""


def _line_in(exc: BaseException, path: str) -> int | None:
    """The line of the deepest traceback frame in `path` (the op call that failed)."""
    real = os.path.realpath(path)
    line = None
    tb = exc.__traceback__
    while tb is not None:
        if os.path.realpath(tb.tb_frame.f_code.co_filename) == real:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _db_error(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None)
    return one_line(orig) if isinstance(orig, BaseException) else one_line(exc)


def _record(revision: Script, recorder: Recorder) -> RevisionRecord:
    doc = getattr(revision.module, "__doc__", None) or ""
    date = _CREATE_DATE.search(doc)
    down = revision._all_down_revisions
    return RevisionRecord(
        revision=revision.revision,
        down_revisions=tuple(down),
        path=display_path(revision.path),
        message=(revision.doc or "").strip().splitlines()[0] if (revision.doc or "").strip() else "",
        date=date.group(1) if date else None,
        ops=tuple(recorder.ops),
    )


def main() -> int:
    return serve(handle)


if __name__ == "__main__":
    sys.exit(main())
