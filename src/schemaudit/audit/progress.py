"""Progress against a baseline: which findings of an earlier audit are resolved, which are new.

Findings are matched on their identity (code, table, column), not on wording, so rephrasing a
message or changing a severity override does not make a finding "new". Several findings can
share an identity (two multi-column indexes missing on one table); they are matched one to
one, in order, so a count going from two to one shows one resolved.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from schemaudit.audit.findings import Finding


@dataclass(frozen=True, slots=True)
class Progress:
    baseline: str  # where the baseline came from, for the report
    resolved: tuple[Finding, ...]  # in the baseline, gone now
    new: tuple[Finding, ...]  # now, not in the baseline
    unchanged: tuple[Finding, ...]  # in both (the current wording and severity)


def compare_findings(baseline: Sequence[Finding], now: Sequence[Finding], label: str) -> Progress:
    pending: dict[tuple[str, str, str], list[Finding]] = defaultdict(list)
    for old in sorted(baseline, key=Finding.sort_key):
        pending[old.key].append(old)
    new: list[Finding] = []
    unchanged: list[Finding] = []
    for finding in sorted(now, key=Finding.sort_key):
        waiting = pending.get(finding.key)
        if waiting:
            waiting.pop(0)
            unchanged.append(finding)
        else:
            new.append(finding)
    resolved = sorted((f for left in pending.values() for f in left), key=Finding.sort_key)
    return Progress(label, tuple(resolved), tuple(new), tuple(unchanged))
