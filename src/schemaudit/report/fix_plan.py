"""The recommendations of the markdown report: the migration plan's own steps, in the plan's
order, each with its id, risk, the findings it resolves and the statements `schemaudit plan`
writes for it, so what the report recommends is what `plan` and `apply` run.

Per-finding advice (`audit/fixes.py`) spells one change at a time: on SQLite it described a
table rebuild in prose once per finding, where the plan rebuilds each table once for all its
changes; two findings with the same fix got it twice. A step speaks for all the findings of
its changes. Findings no step carries out are listed after the steps with the audit's advice.
A foreign key only the database has (SA143) most often belongs in the target, which lost it:
the report says so first, and names the plan step that would drop it only as the alternative.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from schemaudit.audit.findings import Finding, Severity
from schemaudit.audit.fixes import is_sql
from schemaudit.audit.result import Audit
from schemaudit.diff import changes as ch
from schemaudit.errors import SchemauditError
from schemaudit.model import ForeignKey, Schema
from schemaudit.plan import Plan, PlanOptions, Step, build
from schemaudit.plan.render_sql import step_code
from schemaudit.report import data_notes, md
from schemaudit.report.common import ICON
from schemaudit.report.stamp import report_date

# codes whose change is most often fixed in the target (it lost what the database has)
_FIX_IN_TARGET = frozenset({"SA143"})
_INLINE = 4  # up to this many one-line statements (renames, added columns) stay on the step's line


@dataclass
class PlannedStep:
    step: Step
    findings: list[Finding] = field(default_factory=list)

    @property
    def in_target(self) -> bool:
        """Every finding of the step is better fixed in the target than by running it."""
        return bool(self.findings) and all(f.code in _FIX_IN_TARGET for f in self.findings)


def migration_plan(audit: Audit) -> Plan | str:
    """The plan from current to target on the current's dialect, dated as the report is; or
    why the planner cannot plan for these schemas (the report falls back to advice)."""
    options = PlanOptions(dialect=audit.current.dialect, date=report_date(), fills=audit.config.fills)
    try:
        return build(audit.changes, audit.target, audit.current, options)
    except SchemauditError as exc:
        return str(exc)


def planned_steps(audit: Audit, plan: Plan) -> tuple[list[PlannedStep], list[Finding]]:
    """Each step with the findings it resolves, and the findings with a fix no step carries."""
    by_item = audit.findings_by_item()
    steps = [PlannedStep(s) for s in plan.steps]
    seen: set[int] = set()
    for planned in steps:  # a change split over two steps (drop an index, create it): named in both
        step_findings = {id(f): f for change in planned.step.changes for f in by_item.get(change, ())}
        seen.update(step_findings)
        planned.findings.extend(step_findings.values())
    left: list[Finding] = []
    for item, found in by_item.items():
        check = _step_of_check(steps, getattr(item, "table", None), getattr(item, "target_check", None))
        for f in found:
            if id(f) in seen or not f.recommendation:
                continue
            seen.add(id(f))
            # SA191 with the model's CHECK: the step that adds it; a foreign key the plan writes
            # into the ADD COLUMN of its column: that step
            home = check or _step_of_column(steps, f.table, f.column)
            if home is not None:
                home.findings.append(f)
            else:
                left.append(f)
    return steps, left


def _step_of_column(steps: list[PlannedStep], table: str | None, column: str | None) -> PlannedStep | None:
    if table is None or column is None:
        return None
    for planned in steps:
        for c in planned.step.changes:
            if isinstance(c, ch.AddColumn) and c.table == table and c.to.name == column:
                return planned
    return None


def _step_of_check(steps: list[PlannedStep], table: object, check: object) -> PlannedStep | None:
    if check is None:
        return None
    for planned in steps:
        if any(isinstance(c, ch.AddCheck) and c.table == table and c.to == check for c in planned.step.changes):
            return planned
    return None


def recommendation_lines(audit: Audit) -> list[str] | str:
    """The required part of the recommendations, or why there is no plan to show."""
    plan = migration_plan(audit)
    if isinstance(plan, str):
        return plan
    steps, left = planned_steps(audit, plan)
    required = [f for f in left if f.severity is not Severity.INFO]
    lines = [""]
    if not plan.steps and not required:
        return [*lines, "Nothing to run: no change is needed."]
    lines += [_lead(audit, plan), ""]
    n = 0
    for planned in steps:
        n += 1
        lines += _step_lines(n, planned, audit.target)
    kept = {k.change: k.reason for k in plan.kept}
    why = {id(f): kept[item] for item, found in audit.findings_by_item().items() if item in kept for f in found}
    for f in required:
        n += 1
        fix = f.recommendation or ""
        where = f"{md.inline(f.location)} — " if f.table else ""
        head = f"not in the plan: {md.text(why[id(f)])}" if id(f) in why else "not a change the plan makes"
        lines.append(f"{n}. {where}{ICON[f.severity]} **{f.code}**, {head}  ")
        lines.append(" " * len(f"{n}. ") + (md.inline(fix) if is_sql(fix) else md.text(fix)))
    return lines + data_notes.note_lines(audit, plan)


def _lead(audit: Audit, plan: Plan) -> str:
    """What the numbered list is, said for the number of steps: one step is not "them", and
    no step at all is not "the 0 steps"."""
    n = len(plan.steps)
    if n == 0:
        return f"`schemaudit plan` ({plan.dialect}) has no step to run for these findings:"
    about = f"`schemaudit plan` ({plan.dialect}, highest risk {plan.risk.value})"
    if n == 1:
        return f"The one step of {about}; {_where(audit, 'it')}"
    return f"The {n} steps of {about}, in the order to apply them; {_where(audit, 'them')}"


def _where(audit: Audit, them: str) -> str:
    """Where the change belongs besides the database, from the kind of the current source;
    `them` is the pronoun for the steps (`it` for one)."""
    spec = audit.current.origin or ""
    kind, _, rest = spec.partition(":")
    if kind == "alembic":
        return f"write {them} as a new Alembic revision (`schemaudit plan --format alembic` writes it)."
    if kind == "python":
        file, _, function = rest.rpartition(":")
        return f"change {md.inline(function + '()')} in {md.inline(file)} to build the same, so new databases match."
    if kind == "ddl":
        return f"change {md.inline(rest.partition('?')[0])} to match."
    return f"`schemaudit apply` runs {them} and re-audits."


def _step_lines(n: int, planned: PlannedStep, target: Schema) -> list[str]:
    step = planned.step
    indent = " " * len(f"{n}. ")
    risk = step.risk.level.value + (f": {'; '.join(step.risk.reasons)}" if step.risk.reasons else "")
    head = f"{n}. {md.inline(step.id)} — {md.text(step.kind.value)}, risk {md.text(risk)}"
    shown = [f for f in planned.findings if f.severity is not Severity.INFO] or planned.findings
    if shown:
        head += " — " + _codes(shown)
    lines = [head]
    if planned.in_target:
        lines[-1] += "  "
        lines += [indent + line for line in _in_target(planned, target)]
        return lines
    for note in step.notes:
        lines[-1] += "  "
        lines.append(indent + "*Data migration:* " + md.text(note))
    code = step_sql(step)
    body = [line for sql in code for line in sql.splitlines()]
    if len(body) <= _INLINE and len(code) == len(body) and not step.notes:  # a few one-line statements
        lines[-1] += ": " + " ".join(md.inline(line) for line in body)
    else:
        lines += [indent + line if line else line for line in md.fenced("sql", body)]
    return lines


def step_sql(step: Step) -> list[str]:
    """The step's statements as `schemaudit plan` writes them (a rebuild with its PRAGMAs and
    transaction), without the plan file's comment lines: what the report shows to run."""
    code = step_code(
        [s.sql for s in step.statements],
        step.transactional and step.foreign_keys is not None,  # a rebuild runs whole or not at all
        step.foreign_keys,
        [s.check for s in step.statements],
    )
    kept = ("\n".join(line for line in sql.splitlines() if not line.startswith("-- ")) for sql in code)
    return [sql for sql in kept if sql]


def _codes(found: Iterable[Finding]) -> str:
    """`❌ **SA111** `height`, `width` · ⚠️ **SA112**`: codes with their columns."""
    parts: dict[tuple[Severity, str], list[str]] = {}
    for f in sorted(found, key=lambda f: (-f.severity.rank, f.code)):
        parts.setdefault((f.severity, f.code), []).extend([f.column] if f.column else [])
    return " · ".join(
        f"{ICON[sev]} **{code}**" + (f" {md.inlines(dict.fromkeys(cols))}" if cols else "")
        for (sev, code), cols in parts.items()
    )


ALTERNATIVE = "If it is not meant, this step drops it; `schemaudit plan` writes its statements."


def _in_target(planned: PlannedStep, target: Schema) -> list[str]:
    """A foreign key the database has and the target lacks: add it where the target defines
    the column; the plan's step that drops it is the alternative, named, not recommended."""
    lines = target_fixes(planned, target, md.inline)
    if not lines:
        return [ALTERNATIVE]
    return [*(line + "  " for line in lines[:-1]), f"{lines[-1]} {ALTERNATIVE}"]


def target_fixes(planned: PlannedStep, target: Schema, code: Callable[[str], str]) -> list[str]:
    """What to add to the target instead of running the step, one line per foreign key;
    `code` spells a name or clause (backticks in markdown, as is in JSON)."""
    return [
        _add_to_target(c.table, c.from_, target, code) for c in planned.step.changes if isinstance(c, ch.DropForeignKey)
    ]


def _add_to_target(table: str, fk: ForeignKey, target: Schema, code: Callable[[str], str]) -> str:
    """`ForeignKey("users.id", ondelete="CASCADE")` for models, the clause for other targets."""
    found = next((t for t in target.tables if t.name.lower() == table.lower()), None)
    column = next((c for c in (found.columns if found else ()) if [c.name] == list(fk.columns)), None)
    where = f" (defined at {code(str(column.origin))})" if column is not None and column.origin else ""
    if (target.origin or "").startswith("models:") and len(fk.columns) == 1:
        actions = (("ondelete", fk.on_delete), ("onupdate", fk.on_update))
        options = "".join(f', {k}="{v}"' for k, v in actions if v and v != "NO ACTION")
        what = f'ForeignKey("{fk.ref_table}.{fk.ref_columns[0]}"{options})'
        side = f"{table}.{fk.columns[0]}"
    else:
        what = f"FOREIGN KEY ({', '.join(fk.columns)}) REFERENCES {fk.ref_table} ({', '.join(fk.ref_columns)})"
        what += f" ON DELETE {fk.on_delete}" if fk.on_delete and fk.on_delete != "NO ACTION" else ""
        side = table
    return f"Add {code(what)} to {code(side)} in the target{where}: the database has it, the target lost it."
