"""Possible renames the planner did not take, said in the plan so a person can accept one.

A near miss (`Changes.near_misses`) is planned as an added and a dropped object. Without a
word the plan would add `body` and, with `--allow-drop`, drop `txt` and its data; with the
note the reader sees the rename it may be and the hint that plans it instead.
"""

from __future__ import annotations

from collections.abc import Iterable

from schemaudit.diff.result import RenameCandidate
from schemaudit.identifiers import IdentifierRules


def hint(candidate: RenameCandidate) -> str:
    """The `--rename` spelling that accepts the candidate."""
    if candidate.kind == "table":
        return f"--rename {candidate.current}={candidate.target}"
    return f"--rename {candidate.table}.{candidate.current}={candidate.target}"


def plan_notes(near: Iterable[RenameCandidate]) -> tuple[str, ...]:
    out = []
    for c in near:
        what = c.target if c.kind == "table" else f"{c.table}.{c.target}"
        out.append(
            f"not planned as a rename: {c.kind} {what} may be {c.current} renamed (confidence "
            f"{c.evidence.score:.2f}); {c.target} is added instead, and {c.current} is dropped only with "
            f"--allow-drop, losing its data. If it is a rename, plan again with {hint(c)}"
        )
    return tuple(out)


def column_candidates(near: Iterable[RenameCandidate], rules: IdentifierRules) -> dict[tuple[str, str], str]:
    """(target table key, target column key) -> the hint that would make the column a rename."""
    return {
        (rules.table_key(c.table), rules.column_key(c.target)): hint(c)
        for c in near
        if c.kind == "column" and c.table is not None
    }
