"""The `op.*` calls of an Alembic revision, one change at a time (`alembic_script` frames them).

One method per change kind, writing the call Alembic has for it (`op.add_column`,
`op.create_index`, `op.create_check_constraint`, `op.create_foreign_key`, ...); a change
Alembic has no clean call for raises `NoOp`, and the step runs as the plan's own SQL through
`op.execute`. On PostgreSQL every call names the plan's schema (`schema=`), so the revision
works from a connection whose search path is the default.
"""

from __future__ import annotations

from dataclasses import replace

from schemaudit.diff import changes as ch
from schemaudit.diff.changes import ColumnChange
from schemaudit.model import Column, ForeignKey, Index, SqlType, Table, TypeFamily
from schemaudit.plan.model import SQL_ONLY_STEPS, PlanChange, Step, StepKind

_ALTERABLE = frozenset({ColumnChange.TYPE, ColumnChange.NULLABLE, ColumnChange.DEFAULT, ColumnChange.COMMENT})


class NoOp(Exception):
    """No clean `op` call for this step: it runs as the plan's own SQL."""


def _s(text: str | None) -> str:
    return repr(text)


def _n(name: str | None) -> str:
    """An index or constraint name as given: `op.f()` keeps a project's naming convention
    (its env.py's target_metadata) from being applied to it a second time."""
    return "None" if name is None else f"op.f({name!r})"


class Ops:
    def __init__(
        self, dialect: str, deferred: tuple[tuple[str, ForeignKey], ...] = (), schema: str | None = None
    ) -> None:
        self.dialect = dialect
        self.deferred = deferred  # (table, foreign key) added by a later step than the table's
        self.schema = schema  # PostgreSQL: the schema every call names
        self.kw = f", schema={schema!r}" if schema else ""

    # ---- fallbacks ---------------------------------------------------------------------------

    def execute_all(self, step: Step) -> list[str]:
        out = []
        # a statement that cannot run in a transaction, and a validation that must come after
        # the commit of its ADD ... NOT VALID (else it gains nothing): Alembic's transaction
        # is committed first, and each statement commits on its own
        # (and enum labels, which PostgreSQL lets no statement use before they are committed)
        outside = self.dialect == "postgresql" and (
            not step.transactional
            or step.kind is StepKind.VALIDATION
            or any(" ADD VALUE " in s.sql and s.sql.startswith("ALTER TYPE") for s in step.statements)
        )
        prefix = "    " if outside else ""
        if outside:
            out.append("with op.get_context().autocommit_block():")
        for statement in step.statements:
            if statement.check:
                out.extend(self._check(statement.sql))
            else:
                out.append(f"{prefix}op.execute(_sql({statement.sql!r}))")
        return out

    def _check(self, sql: str) -> list[str]:
        return [
            f"_violations = op.get_bind().exec_driver_sql({sql!r}).fetchall()",
            "if _violations:",
            f"    raise RuntimeError(f'{{_violations[0]}}: foreign key violations after the rebuild ({sql})')",
        ]

    # ---- per step ---------------------------------------------------------------------------

    def step(self, step: Step) -> list[str]:
        if step.kind in SQL_ONLY_STEPS:
            raise NoOp
        if step.kind is StepKind.REBUILD:
            return self.rebuild(step)
        out: list[str] = []
        for change in step.changes:
            out.extend(self.change(change, step))
        return out

    def change(self, c: PlanChange, step: Step) -> list[str]:
        if isinstance(c, ch.RenameTable):
            return [f"op.rename_table({_s(c.from_)}, {_s(c.to)}{self.kw})"]
        if isinstance(c, ch.RenameColumn):
            if self.dialect == "mysql":
                raise NoOp  # MySQL restates the column on rename: the plan's RENAME COLUMN is exact
            return [f"op.alter_column({_s(c.table)}, {_s(c.from_)}, new_column_name={_s(c.to)}{self.kw})"]
        if isinstance(c, ch.AddTable):
            return self.create_table(c.to, step)
        if isinstance(c, ch.DropTable):
            return [f"op.drop_table({_s(c.table)}{self.kw})"]
        if isinstance(c, ch.AddColumn):
            if any(s.change is c and "REFERENCES" in s.sql for s in step.statements):
                raise NoOp  # SQLite writes a new reference inline; Alembic would ALTER a constraint
            if self.dialect == "mysql" and c.to.on_update:
                raise NoOp
            return [f"op.add_column({_s(c.table)}, {self.column(c.to)}{self.kw})"]
        if isinstance(c, ch.DropColumn):
            return [f"op.drop_column({_s(c.table)}, {_s(c.from_.name)}{self.kw})"]
        if isinstance(c, ch.ModifyColumn):
            return self.alter_column(c)
        if isinstance(c, ch.ModifyTable):
            if c.to.comment is None or self.dialect == "sqlite" or set(c.kinds) != {ch.TableChange.COMMENT}:
                raise NoOp
            return [f"op.create_table_comment({_s(c.table)}, {_s(c.to.comment)}{self.kw})"]
        return self.constraint(c, step)

    def constraint(self, c: PlanChange, step: Step) -> list[str]:
        table = _s(c.table)
        if self.dialect == "mysql" and isinstance(c, (ch.ModifyIndex, ch.DropIndex)):
            raise NoOp  # one ALTER TABLE drops and adds, so a foreign key never lacks its index
        if step.kind is StepKind.CONSTRAINTS and isinstance(c, (ch.ModifyForeignKey, ch.ModifyIndex)):
            # a replaced object: the drop half runs in one step, the add half in a later one
            drops = step.id.endswith("drop_constraints")
            if isinstance(c, ch.ModifyIndex):
                half: PlanChange = ch.DropIndex(c.table, c.from_) if drops else ch.AddIndex(c.table, c.to)
            else:
                half = ch.DropForeignKey(c.table, c.from_) if drops else ch.AddForeignKey(c.table, c.to)
            return self.constraint(half, step)
        if isinstance(c, ch.AddIndex):
            return [self.create_index(c.table, c.to, step)]
        if isinstance(c, ch.DropIndex):
            return [f"op.drop_index({_n(c.from_.name)}, table_name={table}{self.kw})"]
        if isinstance(c, ch.AddUnique):
            if self.dialect == "sqlite":
                name = c.to.name or f"{c.table}_{'_'.join(c.to.columns)}_key"
                return [f"op.create_index({_n(name)}, {table}, {list(c.to.columns)!r}, unique=True)"]
            return [f"op.create_unique_constraint({_n(c.to.name)}, {table}, {list(c.to.columns)!r}{self.kw})"]
        if isinstance(c, (ch.AddCheck, ch.AddForeignKey)):
            # PostgreSQL adds a constraint to an existing table NOT VALID (validated in a later
            # step): only under the name the plan gave it, which the validation names too
            not_valid = self._not_valid(c.to.name, step)
            if self.dialect == "postgresql" and c.to.name is None:
                raise NoOp
            if isinstance(c, ch.AddCheck):
                args = f"{_n(c.to.name)}, {table}, sa.text({c.to.expression!r}){self.kw}{not_valid}"
                return [f"op.create_check_constraint({args})"]
            return [self.create_foreign_key(c.table, c.to, not_valid)]
        if (
            isinstance(c, (ch.DropForeignKey, ch.DropUnique, ch.DropCheck))
            and c.from_.name
            and self.dialect != "sqlite"
        ):
            name = c.from_.name
            if isinstance(c, ch.DropUnique) and self.dialect == "mysql":
                return [f"op.drop_index({_n(name)}, table_name={table})"]
            type_ = {ch.DropForeignKey: "foreignkey", ch.DropUnique: "unique", ch.DropCheck: "check"}[type(c)]
            return [f"op.drop_constraint({_n(name)}, {table}, type_={type_!r}{self.kw})"]
        raise NoOp

    def _not_valid(self, name: str | None, step: Step) -> str:
        quoted = _quoted(name or "")
        if any(quoted in s.sql and s.sql.rstrip().endswith("NOT VALID") for s in step.statements):
            return ", postgresql_not_valid=True"
        return ""

    # ---- pieces -----------------------------------------------------------------------------

    def type_expr(self, col: Column) -> str:
        spelling = col.type.raw
        if col.identity is not None and col.identity.kind == "serial":
            spelling = {2: "smallserial", 8: "bigserial"}.get(col.type.size or 4, "serial")
        if col.collation:
            spelling += f' COLLATE "{col.collation}"' if self.dialect == "postgresql" else f" COLLATE {col.collation}"
        if self.dialect == "sqlite" and col.identity is not None and spelling.upper() == "INTEGER":
            return "sa.Integer()"  # SQLAlchemy writes AUTOINCREMENT only on its own integer type
        if self.dialect == "mysql" and col.identity is not None:
            size = {1: "TINYINT", 2: "SMALLINT", 3: "MEDIUMINT", 8: "BIGINT"}.get(col.type.size or 4, "INTEGER")
            return f"mysql.{size}(unsigned={col.type.unsigned})"
        return f"_type({spelling!r})"

    def column(self, col: Column, primary: bool = False) -> str:
        args = [_s(col.name), self.type_expr(col)]
        if col.generated is not None:
            args.append(f"sa.Computed({col.generated.expression!r}, persisted={col.generated.stored})")
        identity = col.identity
        if identity is not None and identity.kind in ("always", "by default"):
            always = identity.kind == "always"
            args.append(f"sa.Identity(always={always}, start={identity.start}, increment={identity.increment})")
        args.append(f"nullable={col.nullable}")
        if col.default is not None and col.generated is None:
            args.append(f"server_default=sa.text({col.default!r})")
        if col.comment is not None and self.dialect != "sqlite":
            args.append(f"comment={col.comment!r}")
        if self.dialect == "mysql" and identity is not None:
            args.append("autoincrement=True")
        elif identity is None or identity.kind not in ("rowid", "autoincrement"):
            args.append("autoincrement=False")
        return f"sa.Column({', '.join(args)})"

    def fk_args(self, fk: ForeignKey) -> list[str]:
        extra = []
        if fk.on_delete != "NO ACTION":
            extra.append(f"ondelete={fk.on_delete!r}")
        if fk.on_update != "NO ACTION":
            extra.append(f"onupdate={fk.on_update!r}")
        if fk.deferrable and self.dialect != "mysql":
            extra.append("deferrable=True")
            if fk.initially_deferred:
                extra.append("initially='DEFERRED'")
        return extra

    def fk_constraint(self, fk: ForeignKey) -> str:
        refs = [".".join(p for p in (self.schema, fk.ref_table, c) if p) for c in fk.ref_columns]
        args = [repr(list(fk.columns)), repr(refs), f"name={_n(fk.name)}", *self.fk_args(fk)]
        return f"sa.ForeignKeyConstraint({', '.join(args)})"

    def create_foreign_key(self, table: str, fk: ForeignKey, not_valid: str = "") -> str:
        if not fk.validated and self.dialect == "postgresql":  # a key that was added NOT VALID
            not_valid = ", postgresql_not_valid=True"
        args = [_n(fk.name), _s(table), _s(fk.ref_table), repr(list(fk.columns)), repr(list(fk.ref_columns))]
        if self.schema:
            args += [f"source_schema={self.schema!r}", f"referent_schema={self.schema!r}"]
        return f"op.create_foreign_key({', '.join(args + self.fk_args(fk))}{not_valid})"

    def table_items(self, table: Table, skip: tuple[ForeignKey, ...] = ()) -> list[str]:
        items = [self.column(c) for c in table.columns]
        if table.primary_key is not None:
            cols = ", ".join(repr(c) for c in table.primary_key.columns)
            items.append(f"sa.PrimaryKeyConstraint({cols}, name={_n(table.primary_key.name)})")
        items.extend(
            f"sa.UniqueConstraint({', '.join(repr(c) for c in u.columns)}, name={_n(u.name)})" for u in table.uniques
        )
        items.extend(f"sa.CheckConstraint({c.expression!r}, name={_n(c.name)})" for c in table.checks if c.validated)
        items.extend(self.fk_constraint(fk) for fk in table.foreign_keys if fk not in skip)
        return items

    def table_kwargs(self, table: Table) -> list[str]:
        kwargs = []
        if self.dialect == "sqlite":
            if table.options.without_rowid:
                kwargs.append("sqlite_with_rowid=False")
            if table.options.strict:
                kwargs.append("sqlite_strict=True")
            if any(c.identity is not None and c.identity.kind == "autoincrement" for c in table.columns):
                kwargs.append("sqlite_autoincrement=True")
        if self.dialect == "mysql" and table.options.engine:
            kwargs.append(f"mysql_engine={table.options.engine!r}")
        if self.dialect == "mysql" and table.options.charset:
            kwargs.append(f"mysql_charset={table.options.charset!r}")
        if self.dialect == "mysql" and table.options.collation:
            kwargs.append(f"mysql_collate={table.options.collation!r}")
        if table.comment is not None and self.dialect != "sqlite":
            kwargs.append(f"comment={table.comment!r}")
        if self.schema:
            kwargs.append(f"schema={self.schema!r}")
        return kwargs

    def create_table(self, table: Table, step: Step) -> list[str]:
        if self.dialect == "mysql" and any(c.on_update for c in table.columns):
            raise NoOp
        if self.dialect == "postgresql" and table.options.partitioned:
            raise NoOp  # `PARTITION BY` and the partitions: the plan's own SQL says it whole
        # foreign keys left out of the CREATE TABLE (a cycle, a key not there yet) come later
        skip = tuple(fk for t, fk in self.deferred if t == table.name)
        items = self.table_items(table, skip)
        out = [f"op.create_table({_s(table.name)},"]
        out.extend(f"    {item}," for item in items + self.table_kwargs(table))
        out.append(")")
        for check in (c for c in table.checks if not c.validated):  # NOT VALID only by ALTER TABLE
            args = f"{_n(check.name)}, {_s(table.name)}, sa.text({check.expression!r}){self.kw}"
            out.append(f"op.create_check_constraint({args}, postgresql_not_valid=True)")
        out.extend(self.create_index(table.name, index, step) for index in table.indexes)
        return out

    def create_index(self, table: str, index: Index, step: Step | None = None) -> str:
        from schemaudit.plan.dialects import dialect_for
        from schemaudit.plan.model import PlanOptions

        spell = dialect_for(PlanOptions(self.dialect))
        elements = ", ".join(f"sa.text({spell.element_sql(e)!r})" for e in index.elements)
        name = index.name or spell.index_name(table, index)
        args = [_n(name), _s(table), f"[{elements}]", f"unique={index.unique}"]
        if self.schema:
            args.append(f"schema={self.schema!r}")
        if index.where:
            args.append(f"{self.dialect}_where=sa.text({index.where!r})")
        if index.method and self.dialect == "postgresql":
            args.append(f"postgresql_using={index.method!r}")
        if index.method and self.dialect == "mysql":
            args.append(f"mysql_prefix={index.method.upper()!r}")
        if index.include:
            args.append(f"postgresql_include={list(index.include)!r}")
        return f"op.create_index({', '.join(args)})"

    def alter_column(self, c: ch.ModifyColumn) -> list[str]:
        old, new = c.from_, c.to
        if not c.kinds <= _ALTERABLE or self.dialect == "sqlite" or new.on_update or old.on_update:
            raise NoOp
        if self.dialect == "mysql" and (new.identity or new.collation or new.generated):
            raise NoOp
        args = [_s(c.table), _s(new.name)]
        retype = ColumnChange.TYPE in c.kinds and c.type_relation is not ch.TypeRelation.EQUIVALENT
        if retype:
            args.append(f"type_={self.type_expr(new)}")
            if self.dialect == "postgresql" and _family(old.type) != _family(new.type):
                if old.default is not None:
                    raise NoOp  # the default must be dropped around the cast: the plan's SQL does it
                args.append(f"postgresql_using={_quoted(new.name) + '::' + new.type.raw!r}")
        args.append(f"existing_type={self.type_expr(old)}")
        if ColumnChange.NULLABLE in c.kinds:
            args.append(f"nullable={new.nullable}")
        args.append(f"existing_nullable={old.nullable}")
        if ColumnChange.DEFAULT in c.kinds:
            args.append(f"server_default={'sa.text(' + repr(new.default) + ')' if new.default is not None else None}")
        if old.default is not None:
            args.append(f"existing_server_default=sa.text({old.default!r})")
        if ColumnChange.COMMENT in c.kinds:
            args.append(f"comment={new.comment!r}")
        if old.comment is not None:
            args.append(f"existing_comment={old.comment!r}")
        if self.schema:
            args.append(f"schema={self.schema!r}")
        return [f"op.alter_column({', '.join(args)})"]

    def rebuild(self, step: Step) -> list[str]:
        """SQLite: Alembic's batch mode, with the table the plan builds as `copy_from`."""
        rebuilt = step.rebuild
        if rebuilt is None or self.dialect != "sqlite":  # PostgreSQL's: the plan's own SQL
            raise NoOp
        table = rebuilt.table
        old_name = {new: old for new, old in rebuilt.copied}
        kept = [c for c in table.columns if c.name in old_name and c.generated is None]
        added = [c for c in table.columns if c not in kept]
        renamed = [(old_name[c.name], c.name) for c in kept if old_name[c.name] != c.name]
        # copy_from describes the columns under their current names; renames are batch ops
        shaped = [_renamed(c, old_name[c.name]) for c in kept]
        base = replace(table, columns=tuple(shaped), indexes=())
        refs = sorted({(fk.ref_table, fk.ref_columns) for fk in table.foreign_keys if fk.ref_table != table.name})
        stub = ", ".join(f"({t!r}, {tuple(cols)!r})" for t, cols in refs)
        items = self.table_items(_with_old_names(base, dict(renamed)))
        out = ["op.execute('PRAGMA legacy_alter_table = ON')"]
        out.append(f"_copy_from = sa.Table({_s(table.name)}, _stubs(sa.MetaData(){', ' + stub if stub else ''}),")
        out.extend(f"    {item}," for item in items + self.table_kwargs(table))
        out.append(")")
        body = [f"    batch_op.alter_column({_s(old)}, new_column_name={_s(new)})" for old, new in renamed]
        body += [f"    batch_op.add_column({self.column(c)})" for c in added]
        target = " as batch_op" if body else ""
        name = "'" + table.name.replace("'", "''") + "'"
        if rebuilt.autoincrement:  # the batch copy restarts AUTOINCREMENT at the highest id left
            out.append(f"_counter = op.get_bind().exec_driver_sql({_counter_sql(name, 'read')!r}).scalar()")
        out.append(f"with op.batch_alter_table({_s(table.name)}, recreate='always', copy_from=_copy_from){target}:")
        out.extend(body or ["    pass  # the new definition is the copy_from table itself"])
        if rebuilt.autoincrement:
            out.append("if _counter is not None:")
            out.append(f"    op.get_bind().exec_driver_sql({_counter_sql(name, 'row')!r})")
            out.append(f"    op.get_bind().exec_driver_sql({_counter_sql(name, 'set')!r}, (_counter,))")
        out.append("op.execute('PRAGMA legacy_alter_table = OFF')")
        out.extend(self.create_index(table.name, index, step) for index in table.indexes)
        out.extend(f"op.execute(_sql({sql!r}))" for sql in rebuilt.triggers)
        for name in rebuilt.checked:
            out.extend(self._check(f'PRAGMA foreign_key_check("{name.replace(chr(34), chr(34) * 2)}")'))
        return out


def _counter_sql(name: str, what: str) -> str:
    """SQLite's AUTOINCREMENT counter of the table named by the literal `name`."""
    if what == "read":
        return f"SELECT seq FROM sqlite_sequence WHERE name = {name}"
    if what == "row":
        return (
            f"INSERT INTO sqlite_sequence (name, seq) SELECT {name}, 0"
            f" WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = {name})"
        )
    return f"UPDATE sqlite_sequence SET seq = MAX(seq, ?) WHERE name = {name}"


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _renamed(col: Column, name: str) -> Column:
    return replace(col, name=name)


def _with_old_names(table: Table, renamed: dict[str, str]) -> Table:
    """Constraints of the copy_from table name columns as they are before the batch renames."""
    back = {new: old for old, new in renamed.items()}
    if not back:
        return table

    def cols(names: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(back.get(n, n) for n in names)

    pk = replace(table.primary_key, columns=cols(table.primary_key.columns)) if table.primary_key else None
    return replace(
        table,
        primary_key=pk,
        uniques=tuple(replace(u, columns=cols(u.columns)) for u in table.uniques),
        foreign_keys=tuple(replace(f, columns=cols(f.columns)) for f in table.foreign_keys),
    )


def _family(t: SqlType) -> tuple[TypeFamily, TypeFamily | None]:
    """A type's family, and its elements' for an array (`text[]` to `mood[]` needs a cast)."""
    return t.family, t.element.family if t.element is not None else None
