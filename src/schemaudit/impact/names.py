"""Which names to look for in code: from an audit, every renamed or missing table and column.

A renamed object is looked for by its old name (code using it breaks once the migration
runs); a missing one by its target name (code using it fails until the migration adds it).
Only changes whose rule produced a finding count: a rule a project turned off in its config
does not send anyone looking through code either.

Column names are often ordinary words (`mode`, `status`, `width`), so a bare column name
only counts in a file that also names its table, unless it is *distinctive*: a compound
name (it has an underscore) that no other table in either schema has as a column. A table
is named by its own name or by the class-style names code gives its rows: `Run`, `Runs`
for `runs` (ORM models, OpenAPI schemas, TypeScript interfaces).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from schemaudit.impact.model import Kind, SearchName

if TYPE_CHECKING:  # the search workers import this module for `spellings`, not the audit
    from schemaudit.audit.result import Audit


def search_names(audit: Audit) -> tuple[SearchName, ...]:
    """The names an audit's renames and missing objects put at stake, in change order."""
    from schemaudit.diff import changes as ch

    produced = audit.findings_by_item()
    column_tables = _column_tables(audit)
    out: list[SearchName] = []
    for change in audit.changes.changes:
        findings = produced.get(change, ())
        if not findings:
            continue
        code = findings[0].code
        if isinstance(change, ch.RenameTable):
            out.append(SearchName(Kind.TABLE, change.table, change.from_, change.to, code, change.from_))
        elif isinstance(change, ch.AddTable):
            out.append(SearchName(Kind.TABLE, change.table, change.table, None, code))
        elif isinstance(change, (ch.RenameColumn, ch.AddColumn)):
            name = change.from_ if isinstance(change, ch.RenameColumn) else change.to.name
            new = change.to if isinstance(change, ch.RenameColumn) else None
            current = _current_table(audit, change.table)
            tables = tuple(dict.fromkeys(s for t in (current, change.table) if t for s in spellings(t)))
            distinctive = "_" in name and len(column_tables.get(name.lower(), ())) <= 1
            out.append(SearchName(Kind.COLUMN, change.table, name, new, code, current, tables, distinctive))
    return tuple(out)


def spellings(table: str) -> tuple[str, ...]:
    """A table's name and its class-style names: `run_job_candidates` -> RunJobCandidate,
    RunJobCandidates; `categories` -> Category."""
    words = [w for w in table.split("_") if w]
    if not words or not table.isascii():
        return (table,)
    plural = "".join(w[:1].upper() + w[1:] for w in words)
    words[-1] = singular(words[-1])
    one = "".join(w[:1].upper() + w[1:] for w in words)
    return tuple(dict.fromkeys((table, one, plural)))


def singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        return word[:-1]
    return word


def _current_table(audit: Audit, target_table: str) -> str | None:
    match = audit.changes.match_for(target_table)
    return match.current if match is not None else None


def _column_tables(audit: Audit) -> dict[str, set[str]]:
    """Lower-cased column name -> the tables (by target name where matched) that have it."""
    to_target = {m.current.lower(): m.target.lower() for m in audit.changes.tables}
    found: dict[str, set[str]] = {}

    def add(table: str, columns: Iterable[str]) -> None:
        for column in columns:
            found.setdefault(column.lower(), set()).add(table)

    for t in audit.target.tables:
        add(t.name.lower(), (c.name for c in t.columns))
    for t in audit.current.tables:
        add(to_target.get(t.name.lower(), t.name.lower()), (c.name for c in t.columns))
    return found
