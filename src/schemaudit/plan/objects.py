"""Objects beyond tables in the plan, in dependency order around the table steps.

    before the tables   drop what goes away or is rebuilt: triggers and policies that
                        change, views that change or read a column being retyped or
                        dropped (and the views that read those, dependents first)
    types               extensions, enum types (labels added in place), domains,
                        sequences, and the routines a default, check or index calls;
                        SQLite virtual tables (never their shadow tables, which the
                        module makes)
    (table steps)
    after the tables    the other routines, views (each after the views it reads),
                        materialized view indexes, triggers, policies, row security,
                        sequence ownership, comments
    at the end          routines, sequences, types and extensions that go away, once
                        nothing uses them

Ordering comes from `pg_depend` as the live source recorded it (`View.depends_on`,
`Routine.depends_on`, `Routine.used_by_tables`). A change the dialect cannot make is kept
with the reason, never dropped silently.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from schemaudit.diff import changes as ch
from schemaudit.diff.compare import combined_rules
from schemaudit.diff.object_changes import (
    OBJECT_CHANGES,
    AddObject,
    DropObject,
    ModifyObject,
    ObjectChange,
    RenameObject,
)
from schemaudit.identifiers import IdentifierRules
from schemaudit.model import Schema, SqlType, TypeFamily
from schemaudit.model_objects import EnumType, Routine, View, kind_label, object_name
from schemaudit.model_objects import Sequence as Seq
from schemaudit.plan.dialects import postgresql_enum_swap as enum_swap
from schemaudit.plan.dialects.base import Dialect, ObjectWriter, same_enum_type
from schemaudit.plan.model import Hazard, Kept, PlanChange, PlanOptions, RiskLevel, Statement, StepKind

ENUM_VALUES_IN_TRANSACTION = 120000  # server_version_num from which ADD VALUE runs in a transaction


@dataclass(slots=True)
class ObjectStep:
    kind: StepKind
    slug: str
    changes: list[PlanChange] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)

    def add(
        self,
        change: PlanChange | None,
        sqls: Iterable[str],
        hazards: tuple[Hazard, ...] = (),
        transactional: bool = True,
    ) -> None:
        sqls = list(sqls)
        if change is not None and change not in self.changes and sqls:
            self.changes.append(change)
        self.statements.extend(Statement(s, change, hazards, transactional) for s in sqls)


@dataclass(slots=True)
class ObjectPlan:
    before: list[ObjectStep]
    types: list[ObjectStep]
    after: list[ObjectStep]
    end: list[ObjectStep]
    kept: list[Kept]


def plan_objects(
    changes: Sequence[PlanChange],
    work: Sequence[PlanChange],
    target: Schema,
    current: Schema,
    dialect: Dialect,
    options: PlanOptions,
    kept: list[Kept],
) -> ObjectPlan:
    """The object steps for the object changes among `changes`; `work` is the table work
    the plan does. What cannot be planned is appended to `kept`."""
    objects = [c for c in changes if isinstance(c, OBJECT_CHANGES)]
    writer = dialect.object_writer()
    if writer is None:
        reason = f"objects beyond tables are not planned for {current.dialect} yet"
        kept.extend(Kept(c, reason) for c in objects)
        return ObjectPlan([], [], [], [], [])
    rules = combined_rules(target, current)
    planner = _Planner(objects, work, target, current, writer, options.allow_drop, rules)
    # before PostgreSQL 12, ALTER TYPE ... ADD VALUE "cannot run inside a transaction block"
    planner.values_outside = options.server_version is not None and options.server_version < ENUM_VALUES_IN_TRANSACTION
    plan = planner.plan()
    kept.extend(plan.kept)
    return plan


class _Planner:
    def __init__(
        self,
        changes: Sequence[ObjectChange],
        work: Sequence[PlanChange],
        target: Schema,
        current: Schema,
        writer: ObjectWriter,
        allow_drop: bool,
        rules: IdentifierRules,
    ) -> None:
        self.work, self.w, self.allow_drop = work, writer, allow_drop
        self.target, self.current, self.rules = target, current, rules
        # like an extra table, an extra object is kept unless drops are asked for
        # an enum type the plan itself leaves unused (its last columns become text) holds no
        # data: dropping it is part of converging, not a drop to ask for
        left = {c for c in changes if isinstance(c, DropObject) and _left_behind(c, work, current, rules)}
        self.kept: list[Kept] = [
            Kept(c, "not dropped without --allow-drop; kept as it is")
            for c in changes
            if isinstance(c, DropObject) and not allow_drop and c not in left
        ]
        self.changes = [c for c in changes if allow_drop or not isinstance(c, DropObject) or c in left]
        self.drops = ObjectStep(StepKind.OBJECT_DROPS, "drop_dependent_objects")
        self.types = ObjectStep(StepKind.TYPES, "types_and_sequences")
        self.values_outside = False
        self.enum_values = ObjectStep(StepKind.TYPES, "enum_values")  # ADD VALUE outside a transaction
        self.virtual = ObjectStep(StepKind.TYPES, "virtual_tables")
        self.routines = ObjectStep(StepKind.ROUTINES, "routines")
        self.views = ObjectStep(StepKind.VIEWS, "views")
        self.triggers = ObjectStep(StepKind.TRIGGERS, "triggers_and_policies")
        self.end = ObjectStep(StepKind.OBJECT_DROPS, "drop_objects")

    def plan(self) -> ObjectPlan:
        rebuilt = self._views_to_rebuild()
        for view in _topological([v for v in self.current.objects.views if v.name in rebuilt], reverse=True):
            change = next((c for c in self.changes if _is(c, "view", view.name) and not isinstance(c, AddObject)), None)
            self.drops.add(change, self.w.drop(view))
        target_views = {v.name: v for v in self.target.objects.views}
        self._early(rebuilt)
        early = [r for r in self._routines_to_create() if r.used_by_tables]
        if early:
            self.types.add(None, self.w.ROUTINE_PREAMBLE)
        for r, c in self._ordered_routines(early):
            self.types.add(c, self._routine_sql(r, c))
        late = [r for r in self._routines_to_create() if not r.used_by_tables]
        if late:
            self.routines.add(None, self.w.ROUTINE_PREAMBLE)
        for r, c in self._ordered_routines(late):
            self.routines.add(c, self._routine_sql(r, c))
        wanted = [target_views[n] for n in rebuilt if n in target_views]
        renamed_from = {object_name(c.from_) for c in self.changes if isinstance(c, RenameObject)}
        if not self.allow_drop:  # an extra view dropped around a column change comes back as it was
            wanted += [v for v in self.current.objects.views if v.name in rebuilt - set(target_views) - renamed_from]
        wanted += [
            c.to
            for c in self.changes
            if isinstance(c, (AddObject, RenameObject))
            and isinstance(c.to, View)
            and (isinstance(c, AddObject) or object_name(c.from_) in rebuilt)
        ]
        for view in _topological(list({v.name: v for v in wanted}.values())):
            made = next((c for c in self.changes if _is(c, "view", view.name)), None)
            self.views.add(made, self.w.create(view))
        self._late(rebuilt)
        self._ends()
        steps = (
            [self.drops],
            [self.enum_values, self.types, self.virtual],
            [self.routines, self.views, self.triggers],
            [self.end],
        )
        before, types, after, end = ([s for s in group if s.statements] for group in steps)
        return ObjectPlan(before, types, after, end, self.kept)

    # ---- what goes where ----------------------------------------------------------------

    def _views_to_rebuild(self) -> set[str]:
        """Current views to drop before the table steps: changed in a way CREATE OR REPLACE
        cannot make, going away, or reading a table whose columns are retyped or dropped;
        and every view that reads one of those."""
        names: set[str] = set()
        touched = {
            self.rules.table_key(c.table)
            for c in self.work
            if isinstance(c, (ch.DropColumn, ch.DropTable))
            or (
                isinstance(c, ch.ModifyColumn)
                and ch.ColumnChange.TYPE in c.kinds
                and c.type_relation is not ch.TypeRelation.EQUIVALENT
                and not same_enum_type(c.from_, c.to, self.current)
            )
        }
        for e in self._swapped_enums():  # the type swap retypes every column of the enum
            touched.update(self.rules.table_key(t) for t, _ in enum_swap.users(self.current, e.name))
        for c in self.changes:
            if isinstance(c, DropObject) and isinstance(c.from_, View):
                names.add(c.from_.name)
            elif isinstance(c, ModifyObject) and isinstance(c.to, View) and not self._replaceable(c):
                names.add(c.to.name)
        views = self.current.objects.views
        if self.w.VIEWS_BIND_COLUMNS:  # the server refuses to retype or drop a column a view reads
            names.update(v.name for v in views if any(self.rules.table_key(d) in touched for d in v.depends_on))
        grown = True
        while grown:
            more = {v.name for v in views if v.name not in names and names.intersection(v.depends_on)}
            names |= more
            grown = bool(more)
        return names

    def _replaceable(self, c: ModifyObject) -> bool:
        """CREATE OR REPLACE VIEW keeps the old columns in place and may only add more."""
        assert isinstance(c.to, View) and isinstance(c.from_, View)
        if not self.w.OR_REPLACE_VIEWS or c.to.materialized or c.from_.materialized:
            return False
        if set(c.what) - {"definition", "columns", "comment"}:
            return False
        return c.to.columns[: len(c.from_.columns)] == c.from_.columns

    def _early(self, rebuilt: set[str]) -> None:
        for c in self.changes:
            if c.kind in ("trigger", "policy", "event") and isinstance(c, (DropObject, ModifyObject)):
                if isinstance(c, ModifyObject) and self.w.alter(c.from_, c.to, c.what) is not None:
                    continue
                self.drops.add(c, self.w.drop(c.from_))
            elif c.kind == "row security" and isinstance(c, DropObject):
                self.drops.add(c, self.w.drop(c.from_))
            elif c.kind in ("extension", "enum", "domain", "sequence") and isinstance(c, AddObject):
                self.types.add(c, self.w.create(c.to))
            elif c.kind in ("extension", "domain", "sequence", "enum") and isinstance(c, ModifyObject):
                self._modify_type(c)
            elif c.kind == "virtual table" and isinstance(c, AddObject):
                self.virtual.add(c, self.w.create(c.to))
            elif c.kind == "virtual table" and isinstance(c, (ModifyObject, RenameObject)):
                reason = "recreating a virtual table empties it (an FTS table holds its rows); recreate it by hand"
                self.kept.append(Kept(c, f"{c.describe()} {reason}"))

    def _swapped_enums(self) -> list[EnumType]:
        """Current enum types whose labels are removed or reordered, swapped for a new type
        (PostgreSQL, and no domain over the type)."""
        if self.current.dialect != "postgresql":
            return []
        return [
            c.from_
            for c in self.changes
            if isinstance(c, ModifyObject)
            and isinstance(c.from_, EnumType)
            and isinstance(c.to, EnumType)
            and "values" in c.what
            and self.w.enum_additions(c.from_, c.to) is None
            and not enum_swap.in_domain(self.current, c.from_.name)
        ]

    def _modify_type(self, c: ModifyObject) -> None:
        sqls: list[str] | None
        if isinstance(c.to, EnumType) and isinstance(c.from_, EnumType) and c.from_ in self._swapped_enums():
            users = enum_swap.users(self.current, c.from_.name)
            note = Hazard(
                "enum_swap",
                f"enum type {c.to.name} loses or reorders labels: a new type replaces it and "
                + (", ".join(f"{t}.{col.name}" for t, col in users) or "no column")
                + " is rewritten through text (each table locked while it is rewritten)",
                RiskLevel.MEDIUM if users else RiskLevel.LOW,
            )
            self.types.add(c, enum_swap.swap(c.from_, c.to, users), (note,))
            rest = tuple(w for w in c.what if w != "values")
            sqls = self.w.alter(c.from_, c.to, rest) or [] if rest else []
        elif isinstance(c.to, EnumType) and isinstance(c.from_, EnumType) and "values" in c.what:
            sqls = self.w.enum_additions(c.from_, c.to)
            rest = tuple(w for w in c.what if w != "values")
            if sqls is not None:
                added = ", ".join(repr(v) for v in c.to.values if v not in c.from_.values)
                note = Hazard(
                    "enum_value",
                    f"ALTER TYPE {c.to.name} ADD VALUE {added}: no rewrite; the new value can be used once "
                    "this step has committed (not earlier in its transaction), and cannot be removed later "
                    "without recreating the type",
                    RiskLevel.LOW,
                )
                if self.values_outside:
                    self.enum_values.add(c, sqls, (note,), transactional=False)
                else:
                    self.types.add(c, sqls, (note,))
                sqls = self.w.alter(c.from_, c.to, rest) or [] if rest else []
        else:
            sqls = self.w.alter(c.from_, c.to, c.what)
        if sqls is None:
            self.kept.append(Kept(c, f"{c.describe()} It cannot be changed in place; recreate it by hand"))
        else:
            self.types.add(c, sqls)

    def _routines_to_create(self) -> list[Routine]:
        out = []
        for c in self.changes:
            if isinstance(c, (AddObject, ModifyObject)) and isinstance(c.to, Routine):
                out.append(c.to)
        return out

    def _ordered_routines(self, routines: list[Routine]) -> list[tuple[Routine, ObjectChange | None]]:
        """Routines in dependency order; a name may be a function and a procedure (MySQL),
        and a dependency names both."""
        by_name: dict[str, list[Routine]] = {}
        for r in routines:
            by_name.setdefault(r.name, []).append(r)
        done: list[Routine] = []

        def visit(r: Routine, path: set[tuple[str, str]]) -> None:
            if r in done or (r.kind, r.name) in path:
                return
            for dep in r.depends_on:
                for other in by_name.get(dep, ()):
                    visit(other, path | {(r.kind, r.name)})
            done.append(r)

        for r in sorted(routines, key=lambda r: (r.name, r.kind)):
            visit(r, set())
        return [(r, next((c for c in self.changes if _is_routine(c, r)), None)) for r in done]

    def _routine_sql(self, r: Routine, c: ObjectChange | None) -> list[str]:
        if isinstance(c, ModifyObject):
            assert isinstance(c.from_, Routine)
            sqls = self.w.alter(c.from_, r, c.what)
            if sqls is None or "returns" in _fields(c.from_, r):
                return [*self.w.drop(c.from_), *self.w.create(r)]
            return sqls
        return self.w.create(r)

    def _late(self, rebuilt: set[str]) -> None:
        for c in self.changes:
            if isinstance(c, RenameObject) and c.kind == "view" and object_name(c.from_) in rebuilt:
                continue  # dropped before the tables, created under the new name
            if isinstance(c, RenameObject):
                step = self.views if c.kind == "view" else self.routines if c.kind == "routine" else self.triggers
                renamed = self.w.rename(c.from_, c.to)
                step.add(c, renamed if renamed is not None else [*self.w.drop(c.from_), *self.w.create(c.to)])
            elif isinstance(c, ModifyObject) and isinstance(c.to, View) and c.to.name not in rebuilt:
                self.views.add(c, [_or_replace(s) for s in self.w.create(c.to)])
            elif c.kind in ("trigger", "policy", "row security", "event") and isinstance(c, AddObject):
                self.triggers.add(c, self.w.create(c.to))
            elif c.kind in ("trigger", "policy", "row security", "event") and isinstance(c, ModifyObject):
                sqls = self.w.alter(c.from_, c.to, c.what)
                self.triggers.add(c, sqls if sqls is not None else self.w.create(c.to))
            elif isinstance(c, AddObject) and isinstance(c.to, Seq):
                self.triggers.add(c, self.w.owned_by(c.to))

    def _ends(self) -> None:
        order = {"routine": 0, "virtual table": 1, "sequence": 1, "domain": 2, "enum": 3, "extension": 4}
        gone = [c for c in self.changes if isinstance(c, DropObject) and c.kind in order]
        routines = [c.from_ for c in gone if isinstance(c.from_, Routine)]
        ranked = {(r.kind, r.name): i for i, (r, _) in enumerate(reversed(self._ordered_routines(routines)))}
        for c in sorted(gone, key=lambda c: (order[c.kind], ranked.get((kind_label(c.from_), c.name), 0), c.name)):
            self.end.add(c, self.w.drop(c.from_))


def _is(c: ObjectChange, kind: str, name: str) -> bool:
    return c.kind == kind and c.name == name


def _is_routine(c: ObjectChange, r: Routine) -> bool:
    obj = c.from_ if isinstance(c, DropObject) else c.to
    return isinstance(obj, Routine) and obj.kind == r.kind and obj.name == r.name


def _fields(a: Routine, b: Routine) -> set[str]:
    return {f for f in ("returns", "kind") if getattr(a, f) != getattr(b, f)}


def _or_replace(sql: str) -> str:
    return sql.replace("CREATE VIEW", "CREATE OR REPLACE VIEW", 1) if sql.startswith("CREATE VIEW") else sql


def _left_behind(c: DropObject, work: Sequence[PlanChange], current: Schema, rules: IdentifierRules) -> bool:
    """An enum type that current columns use and that the plan retypes every one of away."""
    if not isinstance(c.from_, EnumType):
        return False
    name = c.from_.name.lower()

    def uses(t: SqlType) -> bool:
        t = t.element if t.element is not None else t
        return t.family is TypeFamily.ENUM and (t.name or t.raw).lower().split(".")[-1].strip('"') == name

    users = {
        (rules.table_key(t.name), rules.column_key(col.name))
        for t in current.tables
        for col in t.columns
        if uses(col.type)
    }
    retyped = {
        (rules.table_key(w.table), rules.column_key(w.from_.name))
        for w in work
        if isinstance(w, ch.ModifyColumn) and ch.ColumnChange.TYPE in w.kinds and not uses(w.to.type)
    }
    in_domain = any(
        d.base.lower().split(".")[-1].strip('"').removesuffix("[]") == name for d in current.objects.domains
    )
    return bool(users) and users <= retyped and not in_domain


def _topological(views: list[View], reverse: bool = False) -> list[View]:
    """Each view after the views it reads (`reverse`: before them, for dropping)."""
    by_name = {v.name: v for v in views}
    done: list[View] = []

    def visit(v: View, path: frozenset[str]) -> None:
        if v in done or v.name in path:
            return
        for dep in v.depends_on:
            if dep in by_name:
                visit(by_name[dep], path | {v.name})
        done.append(v)

    for v in sorted(views, key=lambda v: v.name):
        visit(v, frozenset())
    return done[::-1] if reverse else done
