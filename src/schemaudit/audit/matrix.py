"""N-way drift: which of several schemas agree, object by object.

Teams keep one schema in many places (a spec, the models, the migrations, staging,
production). Each pair of sources is audited with the same config (ignored tables, rename
hints, bookkeeping tables left out); every actionable change names an object (a table, a
column, a key, a check, an index) in words that do not depend on the pair's direction. For
each object, sources that show no change between them agree; the largest group of agreeing
sources is the reference, and the others are the sources that differ. When no group is the
largest, no source is singled out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

from schemaudit.audit.config import Config
from schemaudit.audit.findings import Severity
from schemaudit.audit.run import audit
from schemaudit.diff.changes import fk_sql
from schemaudit.diff.index_key import index_sql
from schemaudit.model import Schema


@dataclass(frozen=True, slots=True)
class ObjectDrift:
    object: str  # "column users.email", "check audit_logs valid_actor_type", ...
    groups: tuple[tuple[str, ...], ...]  # labels of agreeing sources, largest group first
    differs: tuple[str, ...]  # labels outside the one largest group (empty when none is largest)
    severity: Severity  # the highest severity any pair gave it
    details: tuple[str, ...]  # "a vs b: what differs", one per differing pair


@dataclass(frozen=True, slots=True)
class Matrix:
    labels: tuple[str, ...]
    dialects: tuple[str, ...]
    objects: tuple[ObjectDrift, ...]
    config: str | None


def matrix(schemas: Sequence[Schema], labels: Sequence[str], config: Config | None = None) -> Matrix:
    """Audit every pair and group the sources per drifted object."""
    config = config or Config()
    pairs: dict[str, dict[tuple[int, int], list[str]]] = {}
    worst: dict[str, Severity] = {}
    for i, j in combinations(range(len(schemas)), 2):
        result = audit(schemas[i], schemas[j], config)
        findings = result.findings_by_item()
        for change in result.changes.actionable:
            key = object_key(change)
            pairs.setdefault(key, {}).setdefault((i, j), []).append(change.describe())
            for finding in findings.get(change, ()):
                if finding.severity.rank > worst.get(key, Severity.INFO).rank:
                    worst[key] = finding.severity
    objects = [
        _drift(key, differing, labels, worst.get(key, Severity.INFO)) for key, differing in sorted(pairs.items())
    ]
    return Matrix(tuple(labels), tuple(s.dialect for s in schemas), tuple(objects), config.source)


def _drift(key: str, differing: dict[tuple[int, int], list[str]], labels: Sequence[str], sev: Severity) -> ObjectDrift:
    parent = list(range(len(labels)))

    def find(x: int) -> int:
        while parent[x] != x:
            x = parent[x]
        return x

    for i, j in combinations(range(len(labels)), 2):
        if (i, j) not in differing:
            parent[find(j)] = find(i)
    members: dict[int, list[int]] = {}
    for i in range(len(labels)):
        members.setdefault(find(i), []).append(i)
    groups = sorted(members.values(), key=lambda g: (-len(g), g))
    unique_largest = len(groups) > 1 and len(groups[0]) > len(groups[1])
    differs = tuple(labels[i] for g in groups[1:] for i in g) if unique_largest else ()
    details = tuple(
        f"{labels[i]} vs {labels[j]}: {text}" for (i, j), texts in sorted(differing.items()) for text in texts
    )
    return ObjectDrift(key, tuple(tuple(labels[i] for i in g) for g in groups), differs, sev, details)


def object_key(change: object) -> str:
    """The object a change is about, named the same whichever side has it."""
    kind = type(change).__name__
    for prefix in ("Add", "Drop", "Modify", "Rename"):
        kind = kind.removeprefix(prefix)
    table = getattr(change, "table", "")
    item = getattr(change, "to", None) or getattr(change, "from_", None)
    if kind == "Table":
        return f"table {table}"
    if kind == "Column":
        return f"column {table}.{item if isinstance(item, str) else getattr(item, 'name', '')}"
    if kind == "PrimaryKey":
        return f"primary key of {table}"
    if kind == "ForeignKey":
        return f"foreign key {table} {fk_sql(item).split(' ON ')[0]}" if item is not None else f"foreign key {table}"
    if kind == "Unique":
        return f"unique {table} ({', '.join(getattr(item, 'columns', ()))})"
    if kind == "Check":
        return f"check {table} {getattr(item, 'name', None) or getattr(item, 'expression', '')}"
    if kind == "Index" and item is not None and not isinstance(item, str):
        return f"index {table} {index_sql(item)}"
    describe = getattr(change, "describe", None)
    return f"{kind.lower()} {table}: {describe() if callable(describe) else ''}".strip()
