"""Alembic's own `Operations`, instrumented: every operation a revision runs is recorded.

Every `op.*` call, in batch mode too, goes through `invoke(operation)` with an operation
object that says exactly what it does (`CreateTableOp`, `AddColumnOp`, ...). We record it
there, after it succeeded, with the line of the call in the revision file (found on the call
stack) and, for `create_table`, the line of each column and constraint inside the call
(`sources.calls`). Raw SQL (`op.execute`) is parsed with sqlglot to name the tables it
creates, alters or drops; SQL it cannot parse is recorded without tables.

On a SQLite scratch database, operations SQLite cannot run as ALTER statements
(`alter_column`, adding or dropping a constraint) are routed through Alembic's batch mode,
as `op.batch_alter_table` would run them, and noted in the history: migrations written for
PostgreSQL without batch mode still replay on the default scratch database.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from alembic.operations import BatchOperations, Operations
from alembic.operations import ops as alembic_ops

from schemaudit.sources.alembic.history import ALTERED, CREATED, DATA, DROPPED, OpRecord, Part
from schemaudit.sources.calls import CallSite, call_at, calls_within, match_column, match_constraint
from schemaudit.sources.child import display_path

_SQLGLOT = {"postgresql": "postgres", "mysql": "mysql", "sqlite": "sqlite"}


class Recorder:
    """The operations of the revision being replayed, with their call lines."""

    def __init__(self, dialect: str) -> None:
        self.dialect = dialect
        self.path = ""
        self._real = ""
        self.ops: list[OpRecord] = []
        self.notes: list[str] = []

    def start(self, path: str) -> None:
        self.path, self._real, self.ops = path, os.path.realpath(path), []

    def note(self, text: str) -> None:
        """Something the replay did differently from `alembic upgrade` (kept in History)."""
        line = self.line()
        self.notes.append(f"{display_path(self.path)}:{line}: {text}")

    def line(self) -> int:
        """Line of the innermost call from the revision file on the stack (0 if none)."""
        frame = sys._getframe(1)
        while frame is not None:
            name = frame.f_code.co_filename
            if name == self.path or (name and os.path.realpath(name) == self._real):
                return frame.f_lineno or 0
            frame = frame.f_back  # type: ignore[assignment]
        return 0

    def record(self, operation: alembic_ops.MigrateOperation, result: Any, line: int) -> None:
        self.ops.extend(records(operation, result, line, self.path, self.dialect))


# Operations SQLite cannot run as ALTER statements: on a SQLite scratch database they are
# replayed the way `op.batch_alter_table` would (copy the table, change it, move it back),
# so migrations written for PostgreSQL without batch mode still replay.
_SQLITE_IN_BATCH = (
    alembic_ops.AlterColumnOp,
    alembic_ops.AddConstraintOp,
    alembic_ops.DropConstraintOp,
)


class RecordingOperations(Operations):
    """`op` during the replay: Alembic's Operations, recording each operation it runs."""

    def __init__(self, migration_context: Any, recorder: Recorder) -> None:
        super().__init__(migration_context)
        self.recorder = recorder

    def invoke(self, operation: alembic_ops.MigrateOperation) -> Any:
        if self.recorder.dialect == "sqlite" and isinstance(operation, _SQLITE_IN_BATCH):
            table = getattr(operation, "table_name", None) or getattr(operation, "source_table", None)
            if table:
                self.recorder.note(f"{type(operation).__name__} on {table} replayed in batch mode (SQLite)")
                with self.batch_alter_table(table, schema=getattr(operation, "schema", None)) as batch_op:
                    return batch_op.invoke(operation)
        line = self.recorder.line()
        result = super().invoke(operation)
        self.recorder.record(operation, result, line)
        return result

    def _install_proxy(self) -> None:
        """Become `alembic.op`. Alembic keys its proxies by class, so install under
        `Operations`, the class `alembic.op` proxies."""
        attr_names, modules = self._setups[Operations]
        for globals_, _ in modules:
            globals_["_proxy"] = self
            for attr_name in attr_names:
                globals_[attr_name] = getattr(self, attr_name)

    def _remove_proxy(self) -> None:
        attr_names, modules = self._setups[Operations]
        for globals_, _ in modules:
            globals_["_proxy"] = None
            for attr_name in attr_names:
                globals_.pop(attr_name, None)

    @contextmanager
    def batch_alter_table(self, *args: Any, **kwargs: Any) -> Iterator[BatchOperations]:
        with super().batch_alter_table(*args, **kwargs) as batch_op:
            batch_op.__class__ = RecordingBatchOperations
            batch_op.recorder = self.recorder  # type: ignore[attr-defined]
            yield batch_op


class RecordingBatchOperations(BatchOperations):
    """`batch_op` inside `op.batch_alter_table(...)`, recording the same way."""

    recorder: Recorder

    def invoke(self, operation: alembic_ops.MigrateOperation) -> Any:
        line = self.recorder.line()
        result = super().invoke(operation)
        self.recorder.record(operation, result, line)
        return result


def records(operation: alembic_ops.MigrateOperation, result: Any, line: int, path: str, dialect: str) -> list[OpRecord]:
    """What one operation did, as records (an `execute` may touch several tables)."""
    o = alembic_ops
    if isinstance(operation, o.CreateTableOp):
        parts = table_parts(result, path, line) if isinstance(result, sa.Table) else ()
        return [OpRecord("create_table", operation.table_name, line, CREATED, parts=parts)]
    if isinstance(operation, o.DropTableOp):
        return [OpRecord("drop_table", operation.table_name, line, DROPPED)]
    if isinstance(operation, o.RenameTableOp):
        return [OpRecord("rename_table", operation.table_name, line, new_name=operation.new_table_name)]
    if isinstance(operation, o.AddColumnOp):
        col = operation.column
        fks = tuple(Part("foreign_key", _name(fk.constraint), (col.name,), line) for fk in col.foreign_keys)
        return [OpRecord("add_column", operation.table_name, line, name=col.name, parts=fks)]
    if isinstance(operation, o.DropColumnOp):
        return [OpRecord("drop_column", operation.table_name, line, name=operation.column_name)]
    if isinstance(operation, o.AlterColumnOp):
        return [
            OpRecord(
                "alter_column", operation.table_name, line, name=operation.column_name, new_name=operation.modify_name
            )
        ]
    if isinstance(operation, o.CreateIndexOp):
        cols = tuple(str(c) if not isinstance(c, sa.Column) else c.name for c in operation.columns)
        return [OpRecord("create_index", operation.table_name, line, name=_name(operation.index_name), columns=cols)]
    if isinstance(operation, o.DropIndexOp):
        return [OpRecord("drop_index", operation.table_name, line, name=_name(operation.index_name))]
    if isinstance(operation, o.AddConstraintOp):
        return [_constraint(operation, line)]
    if isinstance(operation, o.DropConstraintOp):
        return [OpRecord("drop_constraint", operation.table_name, line, name=_name(operation.constraint_name))]
    if isinstance(operation, (o.CreateTableCommentOp, o.DropTableCommentOp)):
        return [OpRecord("table_comment", operation.table_name, line)]
    if isinstance(operation, o.BulkInsertOp):
        return [OpRecord("bulk_insert", getattr(operation.table, "name", None), line, DATA)]
    if isinstance(operation, o.ExecuteSQLOp):
        return execute_records(operation.sqltext, line, dialect)
    return [OpRecord(type(operation).__name__, None, line)]


def _constraint(operation: alembic_ops.AddConstraintOp, line: int) -> OpRecord:
    o = alembic_ops
    if isinstance(operation, o.CreateForeignKeyOp):
        return OpRecord(
            "create_foreign_key",
            operation.source_table,
            line,
            name=_name(operation.constraint_name),
            columns=tuple(operation.local_cols),
        )
    if isinstance(operation, o.CreateUniqueConstraintOp):
        cols = tuple(str(c) for c in operation.columns)
        return OpRecord(
            "create_unique_constraint", operation.table_name, line, name=_name(operation.constraint_name), columns=cols
        )
    if isinstance(operation, o.CreateCheckConstraintOp):
        return OpRecord("create_check_constraint", operation.table_name, line, name=_name(operation.constraint_name))
    if isinstance(operation, o.CreatePrimaryKeyOp):
        cols = tuple(str(c) for c in operation.columns)
        return OpRecord(
            "create_primary_key", operation.table_name, line, name=_name(operation.constraint_name), columns=cols
        )
    table = getattr(operation, "table_name", None)
    return OpRecord(type(operation).__name__, table, line, name=_name(getattr(operation, "constraint_name", None)))


def _name(name: Any) -> str | None:
    return str(name) if isinstance(name, str) else None


# ---- create_table parts --------------------------------------------------------------------


def table_parts(table: sa.Table, path: str, line: int) -> tuple[Part, ...]:
    """Each column, key, constraint and index of a created table, with its line in the call."""
    call = call_at(path, line, frozenset({"create_table"})) if line else None
    sites: tuple[CallSite, ...] = calls_within(call) if call is not None else ()
    col_lines = {c.name: match_column(sites, c.name) or line for c in table.columns}
    parts = [Part("column", c.name, (), col_lines[c.name]) for c in table.columns]
    for constraint in table.constraints:
        cols = tuple(c.name for c in getattr(constraint, "columns", ()))
        name = _name(constraint.name)
        if isinstance(constraint, sa.ForeignKeyConstraint):
            kind, funcs = "foreign_key", frozenset({"ForeignKeyConstraint"})
        elif isinstance(constraint, sa.UniqueConstraint):
            kind, funcs = "unique", frozenset({"UniqueConstraint"})
        elif isinstance(constraint, sa.CheckConstraint):
            kind, funcs = "check", frozenset({"CheckConstraint"})
        elif isinstance(constraint, sa.PrimaryKeyConstraint):
            if not cols:
                continue
            kind, funcs = "primary_key", frozenset({"PrimaryKeyConstraint"})
        else:
            continue
        found = match_constraint(sites, funcs, name, cols)
        parts.append(Part(kind, name, cols, found or (col_lines[cols[0]] if cols else line)))
    for index in table.indexes:
        cols = tuple(e.name for e in index.expressions if isinstance(e, sa.Column))
        parts.append(Part("index", _name(index.name), cols, col_lines[cols[0]] if cols else line))
    return tuple(parts)


# ---- raw SQL ---------------------------------------------------------------------------------


def execute_records(sqltext: Any, line: int, dialect: str) -> list[OpRecord]:
    """Records for `op.execute(...)`: one per table the SQL creates, alters, drops or writes."""
    table = getattr(sqltext, "table", None)
    if isinstance(table, sa.Table):  # sa.insert(t) / sa.update(t) / sa.delete(t)
        return [OpRecord("execute", table.name, line, DATA)]
    text = sqltext if isinstance(sqltext, str) else getattr(sqltext, "text", None)
    if not isinstance(text, str):
        return [OpRecord("execute", None, line, DATA)]
    found = sql_effects(text, dialect)
    return [OpRecord("execute", t, line, effect) for t, effect in found] or [OpRecord("execute", None, line, DATA)]


def sql_effects(text: str, dialect: str) -> list[tuple[str, str]]:
    """(table, effect) for each statement sqlglot can read; unknown statements are skipped.
    The child may run in a project's interpreter that has no sqlglot: then each statement's
    leading words say it (`ALTER TABLE block_data RENAME TO block`)."""
    try:
        import sqlglot
        from sqlglot import exp
        from sqlglot.errors import SqlglotError
    except ImportError:
        return leading_effects(text)

    try:
        statements = sqlglot.parse(text, read=_SQLGLOT.get(dialect, dialect))
    except SqlglotError:
        return []
    out: list[tuple[str, str]] = []
    for statement in statements:
        if statement is None:
            continue
        kind = str(statement.args.get("kind") or "").upper()
        if isinstance(statement, exp.Create):
            effect = CREATED if kind == "TABLE" else ALTERED if kind == "INDEX" else None
        elif isinstance(statement, exp.Drop):
            effect = DROPPED if kind == "TABLE" else None
        elif type(statement).__name__ in ("Alter", "AlterTable"):
            effect = ALTERED
        elif isinstance(statement, (exp.Insert, exp.Update, exp.Delete)):
            effect = DATA
        else:
            effect = None
        first = statement.find(exp.Table)
        if effect is not None and first is not None and first.name:
            out.append((first.name, effect))
    return out


_NAME = r'((?:[\w$]+|"[^"]+"|`[^`]+`)(?:\.(?:[\w$]+|"[^"]+"|`[^`]+`))?)'
_LEADING = (
    (
        re.compile(
            r"^\s*CREATE\s+(?:(?:GLOBAL|LOCAL)\s+)?(?:TEMP(?:ORARY)?\s+|UNLOGGED\s+)?TABLE\s+"
            r"(?:IF\s+NOT\s+EXISTS\s+)?" + _NAME,
            re.I,
        ),
        CREATED,
    ),
    (re.compile(r"^\s*CREATE\s+(?:UNIQUE\s+)?INDEX\b.*?\bON\s+(?:ONLY\s+)?" + _NAME, re.I | re.S), ALTERED),
    (re.compile(r"^\s*DROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?" + _NAME, re.I), DROPPED),
    (re.compile(r"^\s*ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?" + _NAME, re.I), ALTERED),
    (re.compile(r"^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+(?:ONLY\s+)?" + _NAME, re.I), DATA),
)


def leading_effects(text: str) -> list[tuple[str, str]]:
    """(table, effect) from each statement's leading words, for an interpreter without
    sqlglot; statements split on semicolons (a semicolon inside a literal splits wrongly,
    which only loses that statement's record)."""
    out: list[tuple[str, str]] = []
    for statement in text.split(";"):
        for pattern, effect in _LEADING:
            match = pattern.match(statement)
            if match:
                name = match.group(1).rsplit(".", 1)[-1].strip('"`')
                out.append((name, effect))
                break
    return out
