"""Data-migration notes: where a plan's statements change the shape but not the data, and the
rows must be rewritten for the new meaning (the hand-written audits' "Data Migration Notes").

Two cases are recognised from the changes alone, and said with "if" where the data decides:
- a renamed column that becomes a foreign key (`export_path` → `export_asset_id` referencing
  `assets`): its values are what the old column held (paths, names), not ids; they must be
  rewritten between the rename and the step that adds the foreign key, whose check fails on
  any value that is not an id of the referenced table;
- a new table holding one row per row of an existing table that has a JSON column (a
  `project_storage` with a unique `project_id`, beside `projects.settings_json`): the settings
  the JSON holds today are to be copied into it before the code reads the new table.

The notes are written once, with names spelled by the caller: code spans in markdown, as they
are in JSON, so both reports carry the same notes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from schemaudit.audit.result import Audit
from schemaudit.diff import changes as ch
from schemaudit.model import Table, TypeFamily
from schemaudit.plan import Plan, Step
from schemaudit.report import md

Code = Callable[[str], str]  # how a name or clause is spelled in the note's text


@dataclass(frozen=True, slots=True)
class DataNote:
    text: str
    steps: tuple[str, ...]  # the ids of the plan's steps the note speaks of, in plan order


def note_lines(audit: Audit, plan: Plan) -> list[str]:
    """The notes as a markdown list under a heading, or nothing."""
    found = notes(audit, plan, md.inline)
    if not found:
        return []
    return ["", "**Data migration notes:**", "", *(f"- {n.text}" for n in found)]


def notes(audit: Audit, plan: Plan, code: Code) -> list[DataNote]:
    """The report-level notes, names spelled by `code` (`md.inline`, or `str` for JSON)."""
    return [*_renamed_into_references(audit, plan, code), *_one_to_one_tables(audit, plan, code)]


def _codes(code: Code, values: Iterable[str]) -> str:
    return ", ".join(code(v) for v in values)


def _step_of(plan: Plan, wanted: type, table: str, column: str | None = None) -> Step | None:
    for step in plan.steps:
        for c in step.changes:
            if not isinstance(c, wanted) or getattr(c, "table", None) != table:
                continue
            if column is None or column in (getattr(c, "to", None), *getattr(getattr(c, "to", None), "columns", ())):
                return step
    return None


def _renamed_into_references(audit: Audit, plan: Plan, code: Code) -> list[DataNote]:
    """One note per referenced table: the renamed columns that now point at it."""
    adds = {
        (c.table, c.to.columns[0]): c.to
        for c in audit.changes.changes
        if isinstance(c, ch.AddForeignKey) and len(c.to.columns) == 1
    }
    by_ref: dict[str, list[tuple[str, Step | None]]] = {}
    for c in audit.changes.changes:
        if isinstance(c, ch.RenameColumn) and (c.table, c.to) in adds:
            fk = adds[(c.table, c.to)]
            ref = f"{fk.ref_table}({', '.join(fk.ref_columns)})"
            rename = f"{code(c.table + '.' + c.from_)} → {code(c.to)}"
            by_ref.setdefault(ref, []).append((rename, _step_of(plan, ch.AddForeignKey, c.table, c.to)))
    notes = []
    for ref, renames in by_ref.items():
        checks = list(dict.fromkeys(step.id for _, step in renames if step is not None))
        before = f" before {_codes(code, checks)}, whose foreign-key check fails on any other value" if checks else ""
        text = (
            f"{', '.join(r for r, _ in renames)} become references to {code(ref)}, but keep the values "
            f"the old columns held, not ids: after the renames, replace each with the id of the "
            f"matching {code(ref.partition('(')[0])} row, or NULL where none matches,{before}."
        )
        notes.append(DataNote(text, tuple(checks)))
    return notes


def _one_to_one_tables(audit: Audit, plan: Plan, code: Code) -> list[DataNote]:
    notes = []
    for c in audit.changes.changes:
        if not isinstance(c, ch.AddTable) or c.exists_as:
            continue
        for fk in c.to.foreign_keys:
            parent = audit.current.table(_current_name(audit, fk.ref_table))
            if parent is None or not _unique(c.to, fk.columns):
                continue
            blobs = [
                col.name for col in parent.columns if col.type.family is TypeFamily.JSON or col.name.endswith("_json")
            ]
            if not blobs:
                continue
            created = _step_of(plan, ch.AddTable, c.table)
            at = f" (step {code(created.id)})" if created is not None else ""
            text = (
                f"{code(c.table)}{at} holds one row per {code(fk.ref_table)} row: if "
                f"{_codes(code, (f'{fk.ref_table}.{b}' for b in blobs))} holds these settings today, copy them "
                f"into it (one INSERT ... SELECT over {code(fk.ref_table)}) before the code reads the new table."
            )
            notes.append(DataNote(text, (created.id,) if created is not None else ()))
    return notes


def _current_name(audit: Audit, target_name: str) -> str:
    return next((s.current for s in audit.tables if s.name == target_name and s.current), target_name)


def _unique(table: Table, columns: tuple[str, ...]) -> bool:
    wanted = sorted(c.lower() for c in columns)
    keys = [u.columns for u in table.uniques] + ([table.primary_key.columns] if table.primary_key else [])
    return any(sorted(c.lower() for c in k) == wanted for k in keys)
