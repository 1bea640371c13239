"""What a MetaData creates beyond its tables: the statements `create_all` runs for one
dialect, and the objects they make (triggers, functions, views, sequences...).

SQLAlchemy has no view, trigger or function objects. What it has, and what projects use:
- `event.listen(table_or_metadata, "before_create" | "after_create", DDL("CREATE TRIGGER ..."))`,
  optionally `.execute_if(dialect="postgresql")`: the listener sits in the table's or the
  MetaData's `dispatch.before_create` / `dispatch.after_create` collection, and `create_all`
  runs it, with `%(table)s` filled in, only where its condition holds;
- listener functions that call `connection.execute(...)` (sqlalchemy-searchable, the view
  recipe's index creation), run by `create_all` the same way;
- `Sequence` objects, on a column or standalone on the MetaData (`CREATE SEQUENCE`);
- views made by the common recipes: sqlalchemy-utils' `create_view` and the SQLAlchemy wiki's
  `CreateView` DDL element, both an `after_create` listener on the MetaData (their `Table`
  is kept out of the MetaData), and a `Table` in the MetaData marked `info={"is_view": True}`,
  which `create_all` must not create as a table.

All of them are found the one way that sees exactly what `create_all` would do: `create_all`
itself, against a mock engine of the dialect that records each statement instead of running
it. Runs in the child process that imported the models (`child`).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.schema import CreateIndex, CreateTable

from schemaudit.model import SchemaObject
from schemaudit.sources.models import TABLE_MARK


def is_view_table(table: sa.Table) -> bool:
    """A Table that stands for a view (`info={"is_view": True}`): the database holds a view
    under its name, which `create_all` must not create as a table."""
    return bool(table.info.get("is_view"))


def create_all_statements(
    metadatas: list[sa.MetaData], tables: list[sa.Table], dialect: str, table_text: bool = True
) -> tuple[list[str], list[SchemaObject]]:
    """The statements `create_all` runs for the audited tables on `dialect`, in order, and
    a not-audited entry for each MetaData whose `create_all` could not be recorded (a
    listener that reads the database: a mock engine has none). Without `table_text` a
    CREATE TABLE / INDEX is only its mark: the tables are read from the MetaData, and their
    text is needed only to build them on a scratch server (a tenth of the child's work)."""
    wanted = {id(t) for t in tables}
    statements: list[str] = []
    failed: list[SchemaObject] = []
    for metadata in metadatas:
        mine = [t for t in metadata.tables.values() if id(t) in wanted]
        recorder = _Recorder(dialect, table_text)
        try:
            metadata.create_all(recorder.engine, tables=mine, checkfirst=False)
        except Exception as exc:  # user listeners may raise anything
            reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            failed.append(SchemaObject("DDL listener", f"create_all could not be recorded: {reason[:200]}"))
        statements += recorder.statements
    return statements, failed


class _Recorder:
    """A mock engine of the dialect that keeps each statement's text instead of running it."""

    def __init__(self, dialect: str, table_text: bool = True) -> None:
        self.statements: list[str] = []
        self.engine = sa.create_mock_engine(f"{dialect}://", self.record)
        self.table_text = table_text

    def record(self, element: Any, *multiparams: Any, **params: Any) -> None:
        if isinstance(element, str):
            self.statements.append(element)
            return
        if not self.table_text and isinstance(element, (CreateTable, CreateIndex)):
            self.statements.append(TABLE_MARK)
            return
        try:
            text = _compiled(element, self.engine.dialect)
        except Exception:
            if not isinstance(element, (CreateTable, CreateIndex)):
                raise
            # a table the MetaData reads anyway, with a key to another app's table that
            # only its database has: nothing to list, and no scratch server could build it
            return
        # tables and indexes are read from the MetaData itself; marked so they are not listed
        self.statements.append((TABLE_MARK + text) if isinstance(element, (CreateTable, CreateIndex)) else text)


def _compiled(element: Any, dialect: Any) -> str:
    """DDL as the dialect writes it; a query a listener runs (postgresql-audit's
    `SELECT audit_table('article')`) with its values written in, so it can run as text."""
    compiled = element.compile(dialect=dialect)
    text = str(compiled).strip()
    for key, value in (getattr(compiled, "params", None) or {}).items():
        text = text.replace(f"%({key})s", _literal(value))
    return text


def _literal(value: object) -> str:
    if isinstance(value, bool) or value is None:
        return {True: "true", False: "false", None: "NULL"}[value]
    if isinstance(value, (int, float)):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def view_objects(tables: list[sa.Table]) -> list[SchemaObject]:
    return [SchemaObject("view", t.name, None, "a Table marked info={'is_view': True}") for t in tables]
