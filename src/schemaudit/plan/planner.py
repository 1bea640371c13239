"""`build(changes, target, current, options) -> Plan`: the changes as ordered, dialect-aware steps.

The order is what makes a migration safe to run top to bottom:

1. types the new columns need (PostgreSQL enums);
2. table renames, then column renames (everything after uses the target's names);
3. new tables, parents before children; a foreign-key cycle is broken by creating one table
   without its forward references and adding them in step 7;
4. new columns;
5. constraints and indexes that go away or are replaced (before anything they could block);
6. column and table alterations, primary keys (a dialect that must rebuild the table does it
   here, in one step with all of the table's changes);
7. unique constraints, checks and indexes, then foreign keys (so the keys they need exist),
   then validations and concurrent index builds, each in a transaction of its own;
8. drops of columns and tables, children first: only with `allow_drop`, else kept and reported.

Only `Changes.actionable` becomes work; bookkeeping tables (`schema_migrations`, ...) are never
touched, only created when the target has one the current lacks (`Changes.bookkeeping`). A
change the dialect cannot express is kept with the reason, never dropped silently.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import replace

from schemaudit.audit.bookkeeping import bookkeeping_system
from schemaudit.diff import changes as ch
from schemaudit.diff import partition_changes as pc
from schemaudit.diff.changes import Change
from schemaudit.diff.compare import combined_rules
from schemaudit.diff.object_changes import OBJECT_CHANGES
from schemaudit.diff.result import Changes
from schemaudit.errors import SchemauditError
from schemaudit.identifiers import IdentifierRules
from schemaudit.model import Schema, Table
from schemaudit.plan import dialects, near
from schemaudit.plan.assess import StepNotes, describe_step, risk_of
from schemaudit.plan.dialects.base import Dialect
from schemaudit.plan.dialects.context import PlanContext
from schemaudit.plan.draft import Draft
from schemaudit.plan.model import (
    DataCheck,
    Kept,
    Plan,
    PlanChange,
    PlanOptions,
    RowCheck,
    Statement,
    Step,
    StepKind,
)
from schemaudit.plan.objects import plan_objects
from schemaudit.plan.order import create_order, drop_order
from schemaudit.plan.phases import (
    altered,
    fk_half,
    keys_half,
    keys_with_indexes,
    partition_order,
    partitions,
    relax_half,
    relax_keep_indexes,
)
from schemaudit.plan.porter import Porter
from schemaudit.plan.preflight import data_checks
from schemaudit.plan.prepare import (
    labels_only,
    object_renames,
    partition_tables,
    unblock_retypes,
    waits_for_parent_key,
)
from schemaudit.plan.safety import check_fills, destructive_last
from schemaudit.plan.safety import relaxed as relaxed_column
from schemaudit.plan.state import Renames, evolve, renamed_schema

_DROPS = (ch.DropColumn, ch.DropTable)
_SLUG = re.compile(r"[^a-z0-9]+")


def build(changes: Changes, target: Schema, current: Schema, options: PlanOptions) -> Plan:
    """The migration from `current` to `target` for `options.dialect`."""
    if current.dialect != options.dialect:
        raise SchemauditError(
            f"the current schema is {current.dialect}, so a {options.dialect} plan could not run on it; "
            f"use --dialect {current.dialect}"
        )
    dialect = dialects.dialect_for(options)
    return _Planner(changes, target, current, options, dialect).plan()


class _Planner:
    def __init__(self, changes: Changes, target: Schema, current: Schema, options: PlanOptions, dialect: Dialect):
        self.dialect = dialect
        self.options = options
        self.target = target
        rules = combined_rules(target, current)
        self.rules = rules
        # a name-only index difference is planned as a rename by `names` (in place where the
        # dialect can), never as the drop and create a ModifyIndex would be
        work = [c for c in changes.actionable if not _bookkeeping(c) and not _name_only(c)]
        self.kept: list[Kept] = []
        self.work: list[Change] = []
        for item in (c for c in work if not isinstance(c, OBJECT_CHANGES)):
            if isinstance(item, ch.DropIndex) and not options.allow_drop:  # the audit's "safe to keep"
                self.kept.append(Kept(item, "an extra index, safe to keep: not dropped without --allow-drop"))
            elif isinstance(item, pc.DropPartition) and not options.allow_drop:
                self.kept.append(Kept(item, "not dropped without --allow-drop (its rows go with it); kept as it is"))
            elif isinstance(item, _DROPS) and not options.allow_drop:
                relaxed = relaxed_column(item, current, rules)
                reason = "not dropped without --allow-drop (data loss); kept as it is"
                if relaxed is not None:
                    reason = (
                        "not dropped without --allow-drop (data loss); kept, made nullable so rows written "
                        "for the target fit"
                    )
                    self.work.append(relaxed)
                self.kept.append(Kept(item, reason))
            else:
                self.work.append(item)
        # a migration tool's table the target has and the current lacks: created as it is
        # there, and nothing more (see audit.bookkeeping)
        self.work.extend(ch.AddTable(t.name, t) for t in changes.bookkeeping)
        self.objects = plan_objects(work, self.work, target, current, dialect, options, self.kept)
        renames = Renames.of(self.work, rules)
        state = renamed_schema(current, renames)
        port = Porter(target, dialect.name, dialect.port_type)
        self.new_tables = {rules.table_key(c.table) for c in self.work if isinstance(c, ch.AddTable)}
        self.near = changes.near_misses
        ctx = PlanContext(
            target, current, state, renames, port, options, near_renames=near.column_candidates(self.near, rules)
        )
        # column renames the dialect cannot run in place are done by the table's rebuild
        self.folded = [c for c in self.work if isinstance(c, ch.RenameColumn) and dialect.rebuild_reason(c, ctx)]
        self.names = object_renames(target, state, self.work, rules, dialect)
        self.by_table: dict[str, list[PlanChange]] = {}
        for c in self.work:
            if labels_only(c, current):  # the type step adds the labels: the column is not touched
                continue
            if not isinstance(c, (ch.RenameTable, ch.RenameColumn, ch.AddTable, ch.DropTable)) or c in self.folded:
                self.by_table.setdefault(rules.table_key(c.table), []).append(c)
        self.evolving: dict[str, list[PlanChange]] = {k: list(v) for k, v in self.by_table.items()}
        for n in self.names:  # the state after the plan carries the target's names
            self.evolving.setdefault(rules.table_key(n.table), []).insert(0, n)
        after: dict[str, Table] = {}
        for c in self.work:
            if isinstance(c, ch.AddTable):
                after[rules.table_key(c.table)] = port.table(c.to)
        for key, table_changes in self.evolving.items():
            before = state.table(table_changes[0].table)
            if before is not None:
                after[key] = evolve(before, table_changes, port, renames, dialect.name)
        # a partition's own keys and indexes are changes on the partition, named as a table
        self.partitions = {k: t for k, t in partition_tables(target, rules, port).items() if k in self.by_table}
        for key, table in self.partitions.items():
            after.setdefault(key, table)
        new = [port.table(c.to) for c in self.work if isinstance(c, ch.AddTable)]
        self.order = create_order(new, rules.table_key, dialect.forward_references)
        deferred = {k: list(v) for k, v in self.order.deferred.items()}
        if not dialect.forward_references:
            for table in new:
                tkey = rules.table_key(table.name)
                for fk in table.foreign_keys:
                    waits = waits_for_parent_key(fk, state, after, self.new_tables, rules)
                    if waits and fk not in deferred.get(tkey, []):
                        deferred.setdefault(tkey, []).append(fk)
        if dialect.validates_separately:  # a NOT VALID key is one only when added by ALTER TABLE
            for table in new:
                tkey = rules.table_key(table.name)
                for fk in table.foreign_keys:
                    if not fk.validated and fk not in deferred.get(tkey, []):
                        deferred.setdefault(tkey, []).append(fk)
        self.ctx = replace(ctx, after_tables=after, deferred_fks={k: tuple(v) for k, v in deferred.items()})
        if dialect.retype_blocked_by_fk:
            for key, extra in unblock_retypes(self.work, self.ctx, rules).items():
                self.by_table.setdefault(key, []).extend(extra)

    # ---- assembling ------------------------------------------------------------------------

    def plan(self) -> Plan:
        drafts: list[Draft] = [Draft(s.kind, "", s.slug, s.changes, s.statements) for s in self.objects.before]
        types = self.dialect.type_statements(self.work, self.ctx)
        if types:
            drafts.append(Draft(StepKind.TYPES, "", "types", [], types))
        drafts += [Draft(s.kind, "", s.slug, s.changes, s.statements) for s in self.objects.types]
        for c in sorted(self._of(ch.RenameTable), key=lambda c: self.rules.table_key(c.table)):
            assert isinstance(c, ch.RenameTable)
            slug = f"rename_{c.from_}_to_{c.to}"
            self._emit(drafts, StepKind.TABLE_RENAME, c.table, slug, [c], (RowCheck(c.from_, c.to),))
        renames: dict[str, list[PlanChange]] = {}
        for c in self._of(ch.RenameColumn):
            if c in self.folded:
                continue
            renames.setdefault(self.rules.table_key(c.table), []).append(c)
        for key in sorted(renames):
            table = renames[key][0].table
            self._emit(drafts, StepKind.COLUMN_RENAME, table, f"{table}_rename_columns", renames[key], _same(table))
        named: dict[str, list[PlanChange]] = {}
        for n in self.names:
            named.setdefault(self.rules.table_key(n.table), []).append(n)
        for key in sorted(named):
            table = named[key][0].table
            self._emit(drafts, StepKind.OBJECT_RENAME, table, f"{table}_rename_objects", named[key], _same(table))
        adds = {self.rules.table_key(c.table): c for c in self._of(ch.AddTable)}
        for new in self.order.tables:
            add = adds[self.rules.table_key(new.name)]
            self._emit(drafts, StepKind.NEW_TABLE, new.name, f"create_{new.name}", [add])
        self._table_phases(drafts)
        drafts += [Draft(s.kind, "", s.slug, s.changes, s.statements) for s in self.objects.after]
        if not self.dialect.transactional_ddl:
            drafts = destructive_last(drafts, self.rules)
        self._drops(drafts)
        drafts += [Draft(s.kind, "", s.slug, s.changes, s.statements) for s in self.objects.end]
        return self._finish(drafts)

    def _of(self, kind: type) -> list[PlanChange]:
        return [c for c in self.work if isinstance(c, kind)]

    def _table_phases(self, drafts: list[Draft]) -> None:
        keys = sorted(self.by_table)
        rebuilt: dict[str, list[PlanChange]] = {}
        late_rebuild: set[str] = set()
        for key in keys:
            table_changes = self.by_table[key]
            reasons = [c for c in table_changes if self.dialect.rebuild_reason(c, self.ctx)]
            if reasons:
                rebuilt[key] = table_changes
                if all(isinstance(c, ch.DropColumn) for c in reasons):
                    late_rebuild.add(key)
        relax_pick, keys_pick = relax_half, keys_half
        if self.dialect.replaces_indexes_in_place:  # one ALTER adds the new index and drops the old
            relax_pick, keys_pick = relax_keep_indexes, keys_with_indexes
        phases: list[tuple[StepKind, str, Callable[[PlanChange], list[PlanChange]]]] = [
            (StepKind.NEW_COLUMNS, "add_columns", lambda c: [c] if isinstance(c, ch.AddColumn) else []),
            (StepKind.CONSTRAINTS, "drop_constraints", relax_pick),
            (StepKind.ALTERATIONS, "alter", altered),
            (StepKind.ALTERATIONS, "partitions", partitions),
            (StepKind.CONSTRAINTS, "constraints", keys_pick),
            (StepKind.CONSTRAINTS, "foreign_keys", fk_half),
        ]
        later: list[Draft] = []
        for kind, suffix, pick in phases:
            for key in keys:
                changes = self.by_table[key]
                table = changes[0].table
                if key in rebuilt and key not in late_rebuild:
                    if suffix == "alter":
                        self._rebuild(drafts, table, rebuilt[key])
                    continue
                picked: list[PlanChange] = []
                origins: list[PlanChange] = []
                for c in changes:
                    part = pick(c)
                    picked.extend(part)
                    origins.extend([c] * len(part))
                if suffix == "add_columns":  # in the table's final order (MySQL writes AFTER prev)
                    order = [self.rules.column_key(c.name) for c in self.ctx.after_tables[key].columns]
                    ranked = sorted(zip(picked, origins, strict=True), key=lambda p: _position(p[0], order, self.rules))
                    picked, origins = [p for p, _ in ranked], [o for _, o in ranked]
                if suffix == "partitions":
                    ranked = sorted(zip(picked, origins, strict=True), key=lambda p: partition_order(p[0]))
                    picked, origins = [p for p, _ in ranked], [o for _, o in ranked]
                if suffix == "foreign_keys":
                    extra = [ch.AddForeignKey(table, fk) for fk in self.ctx.deferred_fks.get(key, ())]
                    picked.extend(extra)
                    origins.extend(extra)
                if picked:
                    lost = any(isinstance(c, pc.DropPartition) for c in picked)  # rows go, as allowed
                    # a partition's rows are counted with its table's partition step
                    checks = () if key in self.new_tables or key in self.partitions or lost else _same(table)
                    later.extend(self._emit(drafts, kind, table, f"{table}_{suffix}", picked, checks, origins))
            if suffix == "foreign_keys":
                for key in sorted(set(self.ctx.deferred_fks) - set(self.by_table)):
                    fks = self.ctx.deferred_fks[key]
                    table = self.ctx.after_tables[key].name
                    extra = [ch.AddForeignKey(table, fk) for fk in fks]
                    later.extend(self._emit(drafts, StepKind.CONSTRAINTS, table, f"{table}_foreign_keys", extra))
        drafts.extend(_merged(later))
        self._late_rebuilds = {k: rebuilt[k] for k in late_rebuild}
        self._early_rebuilds = set(rebuilt) - late_rebuild

    def _rebuild(self, drafts: list[Draft], table: str, changes: list[PlanChange]) -> None:
        try:
            statements, rebuilt = self.dialect.rebuild(table, changes, self.ctx)
        except dialects.Unsupported as exc:
            self.kept.extend(Kept(c, str(exc)) for c in changes)
            return
        drafts.append(
            Draft(
                StepKind.REBUILD,
                table,
                f"{table}_rebuild",
                list(changes),
                statements,
                _same(table),
                self.dialect.rebuild_foreign_keys,
                list(changes),
                rebuilt,
            )
        )

    def _drops(self, drafts: list[Draft]) -> None:
        columns: dict[str, list[PlanChange]] = {}
        for c in self._of(ch.DropColumn):
            columns.setdefault(self.rules.table_key(c.table), []).append(c)
        for key in sorted(columns):
            table = columns[key][0].table
            if key in self._late_rebuilds:
                self._rebuild(drafts, table, self._late_rebuilds[key])
            elif key not in self._early_rebuilds:
                self._emit(drafts, StepKind.DROP_COLUMNS, table, f"{table}_drop_columns", columns[key], _same(table))
        tables = {self.rules.table_key(c.table): c for c in self._of(ch.DropTable)}
        gone = [c.from_ for c in tables.values() if isinstance(c, ch.DropTable)]
        for old in drop_order(gone, self.rules.table_key):
            change = tables[self.rules.table_key(old.name)]
            # tables that stay and referenced it must keep their rows (no cascade on drop)
            staying = sorted(
                {t for t, _ in self.ctx.referencing(old.name) if self.rules.table_key(t) not in tables},
                key=self.rules.table_key,
            )
            checks = tuple(RowCheck(t, t) for t in staying)
            self._emit(drafts, StepKind.DROP_TABLE, old.name, f"drop_{old.name}", [change], checks)

    def _emit(
        self,
        drafts: list[Draft],
        kind: StepKind,
        table: str,
        slug: str,
        changes: Sequence[PlanChange],
        row_checks: tuple[RowCheck, ...] = (),
        origins: Sequence[PlanChange] | None = None,
    ) -> list[Draft]:
        """Statements for `changes` as one step; returns the steps that must come later
        (validations, concurrent index builds), each of its own."""
        origins = list(origins) if origins is not None else list(changes)
        statements, unsupported = self.dialect.statements(changes, self.ctx)
        origin_of = {id(c): o for c, o in zip(changes, origins, strict=True)}
        for change, reason in unsupported:
            self.kept.append(Kept(origin_of.get(id(change), change), reason))
        pairs = [(c, o) for c, o in zip(changes, origins, strict=True) if all(c is not u for u, _ in unsupported)]
        done = [o for _, o in pairs]
        parts = [c for c, _ in pairs]
        statements = [_origin(s, origin_of) for s in statements]
        main = [s for s in statements if s.transactional and not s.separate]
        separate = [s for s in statements if s.separate]
        outside = [s for s in statements if not s.transactional]
        later: list[Draft] = []
        if main:
            pragma = self.dialect.step_foreign_keys(done)
            drafts.append(Draft(kind, table, slug, done, main, row_checks, pragma, parts))
        if separate:
            later.append(
                Draft(StepKind.VALIDATION, table, f"{table}_validate", done, separate, row_checks, None, parts)
            )
        for s in outside:
            later.append(
                Draft(
                    StepKind.CONCURRENT_INDEX, table, f"{table}_index_concurrently", [s.change] if s.change else [], [s]
                )
            )
        return later

    def _finish(self, drafts: list[Draft]) -> Plan:
        day = self.options.date or dt.date.today()
        stamp = day.strftime("%Y%m%d")
        steps = []
        tables_new = {c.table for c in self.work if isinstance(c, ch.AddTable)}
        seen: set[DataCheck] = set()
        notes = StepNotes(self.work, tables_new)
        for number, d in enumerate(drafts, start=1):
            step_id = f"{stamp}_{number:04d}_{_slug(d.slug)}"
            changes = tuple(dict.fromkeys(d.changes))
            parts = tuple(dict.fromkeys(d.parts or d.changes))
            steps.append(
                Step(
                    id=step_id,
                    kind=d.kind,
                    description=describe_step(d.kind, d.table, parts),
                    risk=risk_of(d.kind, d.table, parts, tables_new, (h for s in d.statements for h in s.hazards)),
                    changes=changes,
                    statements=tuple(d.statements),
                    notes=notes.of(changes),
                    transactional=self.dialect.transactional_ddl and all(s.transactional for s in d.statements),
                    foreign_keys=d.foreign_keys,
                    row_checks=d.row_checks,
                    rebuild=d.rebuild,
                    data_checks=tuple(c for c in data_checks(parts, self.ctx, self.dialect) if c not in seen),
                )
            )
            seen.update(steps[-1].data_checks)
        check_fills(self.options, self.work, self.rules)
        plan_notes = self.dialect.plan_notes() + near.plan_notes(self.near)
        schema = self.options.schema if self.dialect.name == "postgresql" else None
        return Plan(self.dialect.name, tuple(steps), tuple(self.kept), plan_notes, self.target, stamp, schema)


def _merged(drafts: list[Draft]) -> list[Draft]:
    """Validations of one table in one step (one transaction each is enough)."""
    out: list[Draft] = []
    for d in drafts:
        prior = next(
            (o for o in out if o.kind is StepKind.VALIDATION and d.kind is o.kind and o.table == d.table), None
        )
        if prior is None:
            out.append(d)
        else:
            prior.changes.extend(c for c in d.changes if c not in prior.changes)
            prior.parts.extend(c for c in d.parts if c not in prior.parts)
            prior.statements.extend(d.statements)
    return out


def _position(change: PlanChange, order: list[str], rules: IdentifierRules) -> int:
    name = rules.column_key(change.to.name) if isinstance(change, ch.AddColumn) else ""
    return order.index(name) if name in order else len(order)


def _same(table: str) -> tuple[RowCheck, ...]:
    return (RowCheck(table, table),)


def _origin(statement: Statement, origin_of: dict[int, PlanChange]) -> Statement:
    if statement.change is None:
        return statement
    return replace(statement, change=origin_of.get(id(statement.change), statement.change))


def _name_only(change: Change) -> bool:
    return isinstance(change, ch.ModifyIndex) and change.name_only


def _bookkeeping(change: PlanChange) -> bool:
    names = [change.table]
    if isinstance(change, ch.RenameTable):
        names.append(change.from_)
    return any(bookkeeping_system(n) is not None for n in names)


def _slug(text: str) -> str:
    return _SLUG.sub("_", text.lower()).strip("_")[:48].strip("_") or "step"
