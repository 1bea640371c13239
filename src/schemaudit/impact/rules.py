"""The impact search's result kinds, registered once like the audit's rules: a stable code,
a title and a SARIF level, so code-scanning tools can group and filter code uses apart from
schema findings. Codes start with SI (schemaudit impact); SA codes belong to the audit."""

from __future__ import annotations

from dataclasses import dataclass

from schemaudit.impact.model import Kind, SearchName


@dataclass(frozen=True, slots=True)
class ImpactRule:
    code: str
    title: str
    level: str  # SARIF level: "warning" (code must change) or "note" (code waits for the migration)


IMPACT_RULES: tuple[ImpactRule, ...] = (
    ImpactRule("SI101", "code uses the old name of a renamed table", "warning"),
    ImpactRule("SI102", "code uses the old name of a renamed column", "warning"),
    ImpactRule("SI111", "code uses a table the database lacks", "note"),
    ImpactRule("SI112", "code uses a column the database lacks", "note"),
)
_BY_KEY = {
    (Kind.TABLE, "rename"): IMPACT_RULES[0],
    (Kind.COLUMN, "rename"): IMPACT_RULES[1],
    (Kind.TABLE, "missing"): IMPACT_RULES[2],
    (Kind.COLUMN, "missing"): IMPACT_RULES[3],
}


def rule_for(name: SearchName) -> ImpactRule:
    return _BY_KEY[(name.kind, name.change)]
