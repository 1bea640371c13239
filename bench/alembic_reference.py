"""Alembic's own answer for one project: `upgrade head`, then `compare_metadata`.

Run by `bench/real_projects.py` with the *project's* interpreter (its SQLAlchemy and Alembic),
as `python alembic_reference.py REQUEST_JSON`. The project's `env.py` is replaced by a minimal
one (projects' env.py files read app settings); the script folder is copied, the revisions
run on the database the request names, and the differences `compare_metadata` finds with
`compare_type` and `compare_server_default` are printed as JSON, one object per difference:
`{"op": "add_column", "table": "t", "name": "c", "text": "..."}`. Standard library, SQLAlchemy
and Alembic only: nothing of schemaudit is imported here.
"""

import importlib
import json
import os
import shutil
import sys
import tempfile

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext

ENV_PY = """
from alembic import context
conn = context.config.attributes["connection"]
context.configure(connection=conn, target_metadata=None, transaction_per_migration=True)
with context.begin_transaction():
    context.run_migrations()
"""


def metadata_of(spec):
    """The MetaData of `module:attr`; a comma list names several modules whose models share
    one MetaData (each is imported so that its tables are in it), the first one's is taken."""
    found = []
    for one in spec.split(","):
        module, _, attr = one.partition(":")
        obj = importlib.import_module(module)
        for part in (attr or "Base").split("."):
            obj = getattr(obj, part)
        found.append(obj if isinstance(obj, sa.MetaData) else obj.metadata)
    return found[0]


def describe(diff):
    """(op, table, name) of one compare_metadata difference."""
    op = diff[0]
    if op in ("add_table", "remove_table"):
        return op, diff[1].name, None
    if op in ("add_column", "remove_column"):
        return op, diff[2], diff[3].name
    if op.startswith("modify_"):
        return op, diff[2], diff[3]
    if op in ("add_index", "remove_index"):
        return op, diff[1].table.name, diff[1].name
    if op in ("add_fk", "remove_fk", "add_constraint", "remove_constraint"):
        constraint = diff[1]
        table = constraint.parent.name if op.endswith("fk") else constraint.table.name
        return op, table, constraint.name
    return op, None, None


def upgrade_and_compare(conn, config, request):
    """`upgrade head` on the connection, then compare_metadata on a fresh transaction."""
    if request.get("base"):
        metadata_of(request["base"]).create_all(conn)
        conn.commit()
    config.attributes["connection"] = conn
    command.upgrade(config, "head")
    conn.commit()
    metadata = metadata_of(request["models"])
    context = MigrationContext.configure(conn, opts={"compare_type": True, "compare_server_default": True})
    diffs = compare_metadata(context, metadata)
    conn.rollback()
    return diffs


def on_connection(url, work):
    """Run `work(connection)` on the driver the project runs its migrations with: an async
    driver (asyncpg, whose revisions may send `%` unescaped) through `run_sync`."""
    if "+asyncpg" not in url:
        engine = sa.create_engine(url)
        try:
            with engine.connect() as conn:
                return work(conn)
        finally:
            engine.dispose()
    import asyncio

    from sqlalchemy.ext.asyncio import create_async_engine

    async def run():
        engine = create_async_engine(url)
        try:
            async with engine.connect() as conn:
                return await conn.run_sync(work)
        finally:
            await engine.dispose()

    return asyncio.run(run())


def main():
    request = json.loads(sys.argv[1])
    for folder in request.get("path", []):
        sys.path.insert(0, folder)
    work = tempfile.mkdtemp(prefix="alembic-reference-")
    try:
        scripts = os.path.join(work, "scripts")
        shutil.copytree(request["script_location"], scripts)
        with open(os.path.join(scripts, "env.py"), "w") as handle:
            handle.write(ENV_PY)
        config = Config()
        config.set_main_option("script_location", scripts)
        if request.get("versions"):  # a project that keeps one version folder per dialect
            config.set_main_option("version_locations", request["versions"])
        diffs = on_connection(request["url"], lambda conn: upgrade_and_compare(conn, config, request))
        out = []
        for diff in diffs:
            for one in diff if isinstance(diff, list) else [diff]:
                op, table, name = describe(one)
                out.append({"op": op, "table": table, "name": name, "text": repr(one)[:300]})
        print(json.dumps(out))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
