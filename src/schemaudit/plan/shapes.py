"""The shape each step expects of the tables it touches, so `apply` can refuse a drifted database.

A plan is made against the database as it was when it was read. If a column, an index or a
trigger is added afterwards, a table rebuild written from the plan's idea of the table would
copy only the columns it knows and silently lose the rest. So every step carries, for each
table it touches, the columns that table has just before the step (and, for a rebuild, the
indexes and triggers it creates again); `apply` compares them with the catalog before running
the step and refuses with one line when they differ. A table the step creates is expected to
be absent.

The shapes are worked out here by walking the steps from the current schema, one change at a
time (renames, added and dropped columns and tables, index names, rebuilds): column names
only, not types, which is what decides whether anything can be lost.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from schemaudit.diff import changes as ch
from schemaudit.diff.compare import combined_rules
from schemaudit.diff.result import Changes
from schemaudit.identifiers import IdentifierRules
from schemaudit.model import Schema, Table
from schemaudit.plan.model import Kept, Plan, PlanChange, PlanOptions, Step, StepKind, TableShape
from schemaudit.plan.names import RenameIndex
from schemaudit.plan.state import Renames


@dataclass(slots=True)
class _Live:
    name: str
    columns: list[str]
    indexes: list[str]


def build(changes: Changes, target: Schema, current: Schema, options: PlanOptions) -> Plan:
    """The planner's plan, with the shape each step expects (what `apply` checks), and, when
    the target could not be read whole (`--lenient`), no drop of what it could describe."""
    from schemaudit.plan import planner
    from schemaudit.plan.limits import check_names

    check_names(target, options.dialect)
    rules = combined_rules(target, current)
    plan = planner.build(changes, target, current, options)
    kept = list(plan.kept)
    steps = []
    for step in plan.steps:
        why = next(
            (w for c in step.changes if isinstance(c, _DROPS) and (w := unread_target(c.table, target, rules))), None
        )
        if why is None:
            steps.append(step)
        else:
            kept.extend(Kept(c, why) for c in step.changes)
    work = [c for s in steps for c in s.changes]
    renames = Renames.of([c for c in work if isinstance(c, ch.RenameTable | ch.RenameColumn)], rules)
    shaped = with_shapes(steps, current, rules, options.dependent_sql, renames.table)
    return replace(plan, steps=shaped, kept=tuple(kept))


_DROPS = (ch.DropColumn, ch.DropTable)


def with_shapes(
    steps: Iterable[Step],
    current: Schema,
    rules: IdentifierRules,
    dependent_sql: Iterable[tuple[str, str, str, str]],
    renamed: Callable[[str], str],
) -> tuple[Step, ...]:
    """`steps` with `expects` filled in, walking from `current`. The triggers a rebuild knows:
    those whose SQL the planner read (`dependent_sql`, created again) and those it lists as
    lost with a hazard (read but not audited); `renamed` maps a current table name to the plan's."""
    triggers: dict[str, list[str]] = {}
    known = [(kind, name, table) for kind, name, table, _ in dependent_sql]
    known += [(o.kind, o.name, o.table) for o in current.not_audited if o.table]
    known += [("trigger", t.name, t.table) for t in current.objects.triggers]  # modelled: planned again
    for kind, name, table in known:
        if kind == "trigger":
            for key in {rules.table_key(table), rules.table_key(renamed(table))}:
                triggers.setdefault(key, []).append(name)
    state: dict[str, _Live] = {
        rules.table_key(t.name): _Live(t.name, [c.name for c in t.columns], _indexes(t)) for t in current.tables
    }
    out = []
    for step in steps:
        expects: dict[str, TableShape] = {}
        for name in _touched(step):
            key = rules.table_key(name)
            if key in expects:
                continue
            live = state.get(key)
            if live is None:
                if any(_creates(c, key, rules) for c in step.changes):
                    expects[key] = TableShape(name, None)
                continue
            keeps = None
            if step.kind is StepKind.REBUILD:
                keeps = tuple(sorted({*live.indexes, *triggers.get(key, [])}))
            expects[key] = TableShape(live.name, tuple(live.columns), keeps, tuple(live.indexes))
        for change in step.changes:
            _evolve(state, change, rules)
        if step.rebuild is not None:
            _rebuilt(state, step.rebuild.table, rules)
        out.append(replace(step, expects=tuple(expects.values()), leaves=_leaves(step, state, rules)))
    return tuple(out)


def _leaves(step: Step, state: dict[str, _Live], rules: IdentifierRules) -> tuple[TableShape, ...]:
    """The tables a step touches as it leaves them (a table it drops or renames away: None)."""
    shapes: dict[str, TableShape] = {}
    for name in _touched(step):
        key = rules.table_key(name)
        live = state.get(key)
        if key not in shapes:
            shapes[key] = (
                TableShape(name, None)
                if live is None
                else TableShape(live.name, tuple(live.columns), None, tuple(live.indexes))
            )
    return tuple(shapes.values())


def _indexes(table: Table) -> list[str]:
    """Named indexes, and unique constraints that SQLite may keep as named indexes."""
    return [i.name for i in table.indexes] + [u.name for u in table.uniques if u.name]


def _touched(step: Step) -> list[str]:
    names: list[str] = []
    for change in step.changes:
        if isinstance(change, ch.RenameTable):
            names.extend((change.from_, change.to))
        else:
            names.append(change.table)
    names.extend(r.before for r in step.row_checks)
    return names


def _creates(change: PlanChange, key: str, rules: IdentifierRules) -> bool:
    """Whether the change makes a table under this name (which must be free before it)."""
    if isinstance(change, ch.AddTable):
        return rules.table_key(change.table) == key
    return isinstance(change, ch.RenameTable) and rules.table_key(change.to) == key


def _rebuilt(state: dict[str, _Live], table: Table, rules: IdentifierRules) -> None:
    state[rules.table_key(table.name)] = _Live(table.name, [c.name for c in table.columns], _indexes(table))


def _evolve(state: dict[str, _Live], change: PlanChange, rules: IdentifierRules) -> None:
    key = rules.table_key(change.table)
    if isinstance(change, ch.RenameTable):
        live = state.pop(rules.table_key(change.from_), None)
        if live is not None:
            live.name = change.to
            state[rules.table_key(change.to)] = live
        return
    if isinstance(change, ch.AddTable):
        _rebuilt(state, change.to, rules)
        return
    if isinstance(change, ch.DropTable):
        state.pop(key, None)
        return
    live = state.get(key)
    if live is None:
        return
    col = rules.column_key
    if isinstance(change, ch.RenameColumn):
        live.columns = [change.to if col(c) == col(change.from_) else c for c in live.columns]
    elif isinstance(change, ch.AddColumn):
        live.columns.append(change.to.name)
    elif isinstance(change, ch.DropColumn):
        live.columns = [c for c in live.columns if col(c) != col(change.from_.name)]
    elif isinstance(change, RenameIndex):
        live.indexes = [change.to if c == change.from_ else c for c in live.indexes]
    elif isinstance(change, ch.AddIndex):
        live.indexes.append(change.to.name)
    elif isinstance(change, ch.DropIndex):
        live.indexes = [c for c in live.indexes if c != change.from_.name]
    elif isinstance(change, ch.ModifyIndex):
        live.indexes = [*(c for c in live.indexes if c != change.from_.name), change.to.name]


def unread_target(table: str, target: Schema, rules: IdentifierRules) -> str | None:
    """Why a drop on `table` is not planned when the target could not be read whole (a spec
    read with --lenient): an unreadable line under that table's heading could be the column
    the drop removes, and one outside any table could be the table itself."""
    for o in target.not_audited:
        if o.kind == "unreadable definition" and (
            o.table is None or rules.table_key(o.table) == rules.table_key(table)
        ):
            return f"not dropped: the target could not be read whole ({o.name})"
    return None
