"""The JSON report: the audit as data for CI, dashboards and the next run's `--baseline`.

The shape is documented (and tested) by `docs/report.schema.json`. `version` changes only
when a field changes meaning or disappears; new fields may appear within a version. Output
is deterministic: keys in a fixed order, lists in the audit's stable order, no timestamps.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from schemaudit import __version__
from schemaudit.audit.findings import Finding, Severity
from schemaudit.audit.progress import Progress
from schemaudit.audit.result import Audit
from schemaudit.audit.rules import REGISTRY
from schemaudit.errors import SchemauditError
from schemaudit.files import json_text, parse_json
from schemaudit.model import Schema
from schemaudit.report import objects as objects_report
from schemaudit.report.plan_data import plan_dict

if TYPE_CHECKING:
    from schemaudit.impact.model import Impact

FORMAT = "schemaudit-report"
VERSION = 1


def to_dict(audit: Audit, progress: Progress | None = None, impact: Impact | None = None) -> dict[str, Any]:
    """The report as data; `impact` (with `audit --code`) adds an "impact" key."""
    s = audit.scorecard
    plan, step_ids = plan_dict(audit)
    data = {
        "format": FORMAT,
        "version": VERSION,
        "generator": f"schemaudit {__version__}",
        "target": _schema(audit.target),
        "current": _schema(audit.current),
        "verdict": audit.verdict.value,
        "counts": {"critical": s.critical, "warning": s.warning, "info": s.info},
        "scorecard": [{"label": r.label, "count": r.count} for r in s.rows],
        "tables": [
            {
                "name": t.name,
                "target": t.target,
                "current": t.current,
                "state": t.state.value,
                "critical": t.critical,
                "warning": t.warning,
                "info": t.info,
                "note": t.note,
            }
            for t in audit.tables
        ],
        "findings": [{**finding_dict(f), "steps": step_ids.get(id(f), [])} for f in audit.findings],
        "plan": plan,
        "renames": {
            "tables": [
                {
                    "current": m.current,
                    "target": m.target,
                    "confidence": m.evidence.score,
                    "hinted": m.evidence.hinted,
                    "reasons": list(m.evidence.reasons),
                }
                for m in audit.changes.tables
                if m.evidence is not None
            ],
            "columns": [
                {
                    "table": m.table,
                    "current": m.current,
                    "target": m.target,
                    "confidence": m.evidence.score,
                    "hinted": m.evidence.hinted,
                    "reasons": list(m.evidence.reasons),
                }
                for m in audit.changes.columns
            ],
        },
        "ignored": [{"table": i.name, "side": i.side, "pattern": i.pattern, "reason": i.reason} for i in audit.ignored],
        "not_audited": [
            {"side": n.side, "kind": n.kind, "name": n.name, "table": n.table}
            | ({"reason": n.reason} if n.reason else {})
            for n in audit.not_audited
        ],
        "config": {
            "source": audit.config.source,
            "severity_overrides": {code: (sev.value if sev else "off") for code, sev in audit.config.severities},
        },
        "progress": None
        if progress is None
        else {
            "baseline": progress.baseline,
            "resolved": [finding_dict(f) for f in progress.resolved],
            "new": [finding_dict(f) for f in progress.new],
            "unchanged": [finding_dict(f) for f in progress.unchanged],
        },
    }
    objects = objects_report.to_dicts(audit)
    if objects:
        data["objects"] = objects
    if impact is not None:
        from schemaudit.report import impact as impact_render

        data["impact"] = impact_render.to_dict(impact)
    return data


def render(audit: Audit, progress: Progress | None = None, impact: Impact | None = None) -> str:
    return json_text(to_dict(audit, progress, impact))


def _schema(schema: Schema) -> dict[str, Any]:
    return {"origin": schema.origin, "name": schema.name, "dialect": schema.dialect, "tables": len(schema.tables)}


def finding_dict(f: Finding) -> dict[str, Any]:
    rule = REGISTRY.get(f.code)
    return {
        "code": f.code,
        "title": rule.title if rule else f.code,
        "severity": f.severity.value,
        "table": f.table,
        "column": f.column,
        "message": f.message,
        "evidence": list(f.evidence),
        "recommendation": f.recommendation,
        "origin": f.origin,
    }


def read_findings(path: Path) -> tuple[Finding, ...]:
    """The findings of an earlier JSON report (`--baseline`), or a one-line error."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise SchemauditError(f"cannot read baseline {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise SchemauditError(f"baseline {path} is not a JSON report (write one with --format json)") from None
    try:
        data = parse_json(text, f"baseline {path}")
    except SchemauditError as exc:
        raise SchemauditError(f"baseline {path} is not a JSON report (write one with --format json): {exc}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise SchemauditError(f'baseline {path} is not a schemaudit JSON report (no "format": "{FORMAT}")')
    if data.get("version") != VERSION:
        raise SchemauditError(
            f"baseline {path} has report version {data.get('version')!r}; this schemaudit reads version {VERSION}"
        )
    items = data.get("findings")
    if not isinstance(items, list):
        raise SchemauditError(f"baseline {path} has no findings list")
    try:
        return tuple(_finding(item) for item in items)
    except (KeyError, TypeError, ValueError) as exc:
        raise SchemauditError(f"baseline {path} has a malformed finding: {exc}") from None


def _finding(item: Any) -> Finding:
    if not isinstance(item, dict):
        raise TypeError("a finding must be an object")
    code, message = item["code"], item["message"]
    if not isinstance(code, str) or not isinstance(message, str):
        raise TypeError("code and message must be strings")
    table, column = item.get("table"), item.get("column")
    if not all(v is None or isinstance(v, str) for v in (table, column)):
        raise TypeError("table and column must be strings or null")
    return Finding(
        code,
        Severity.parse(str(item["severity"])),
        table,
        column,
        message,
        tuple(str(e) for e in item.get("evidence") or ()),
        item.get("recommendation"),
        item.get("origin"),
    )
