"""SARIF 2.1.0: the audit for code-scanning tools, which annotate the line a finding cites.

Each finding is a result with its rule id, a level (critical -> error, warning -> warning,
info -> note) and a location: the file and line of the definition it is about when the
source knows it (a model's line, a migration file, a spec line), and always a logical
location naming the table or column, which is all a live database can give. Every rule of
the audit's registry is listed in `tool.driver.rules` with its title as short description.
With `--code DIR` the uses of renamed and missing names are results too (rules SI1xx), at
their file, line and column. Fingerprints hang on what a result is about (code, table,
column; file, line text and change), not on line numbers, so an alert survives edits above
it. Output is deterministic: no timestamps, no absolute paths the sources did not give.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import PurePosixPath, PureWindowsPath
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from schemaudit import __version__
from schemaudit.audit.findings import Finding, Severity
from schemaudit.audit.result import Audit
from schemaudit.audit.rules import RULES
from schemaudit.report.common import schema_label

if TYPE_CHECKING:
    from schemaudit.impact.model import Hit, Impact, SearchName

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVEL: dict[Severity, str] = {Severity.CRITICAL: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_ORIGIN = re.compile(r"^(?P<path>.+?):(?P<line>\d+)$")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://")


def render(audit: Audit, impact: Impact | None = None) -> str:
    return json.dumps(to_dict(audit, impact), indent=2, ensure_ascii=False) + "\n"


def to_dict(audit: Audit, impact: Impact | None = None) -> dict[str, Any]:
    rules = [_rule(r.code, r.title, LEVEL[r.severity], r.severity.value, r.category) for r in RULES]
    if impact is not None:
        from schemaudit.impact.rules import IMPACT_RULES

        rules += [_rule(r.code, r.title, r.level, None, None) for r in IMPACT_RULES]
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    results = [_finding_result(f, index) for f in audit.findings]
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "schemaudit",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": rules,
            }
        },
        "columnKind": "unicodeCodePoints",
        "results": results,
        "properties": {
            "verdict": audit.verdict.value,
            "target": schema_label(audit.target),
            "current": schema_label(audit.current),
            "counts": {s.value: audit.count(s) for s in Severity},
        },
    }
    if impact is not None:
        results += [_hit_result(impact, hit, name, index) for hit in impact.hits for name in hit.names]
        run["invocations"] = [_invocation(impact)]
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def file_uri(path: str) -> str:
    """A path as a SARIF artifact URI: relative paths stay relative ('/'-separated and
    percent-encoded), absolute ones become file:// URIs."""
    windows = PureWindowsPath(path)
    if windows.drive:
        return windows.as_uri()
    posix = PurePosixPath(path.replace("\\", "/"))
    if posix.is_absolute():
        return posix.as_uri()
    return quote(str(posix), safe="/-._~!$&'()*+,;=:@")


def _rule(code: str, title: str, level: str, severity: str | None, category: object) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    if severity is not None:
        properties["severity"] = severity
    if category is not None:
        properties["tags"] = [str(getattr(category, "value", category))]
    rule: dict[str, Any] = {
        "id": code,
        "name": "".join(word[:1].upper() + word[1:] for word in re.findall(r"[A-Za-z0-9]+", title)),
        "shortDescription": {"text": title[:1].upper() + title[1:]},
        "defaultConfiguration": {"level": level},
    }
    if properties:
        rule["properties"] = properties
    return rule


def _finding_result(f: Finding, index: dict[str, int]) -> dict[str, Any]:
    text = f.message + (f"\n\nRecommended fix:\n{f.recommendation}" if f.recommendation else "")
    location: dict[str, Any] = {"logicalLocations": [_logical(f)]} if f.table else {}
    physical = _physical(f.origin)
    if physical is not None:
        location["physicalLocation"] = physical
    properties: dict[str, Any] = {"severity": f.severity.value}
    for key, value in (("table", f.table), ("column", f.column), ("origin", f.origin)):
        if value is not None:
            properties[key] = value
    if f.evidence:
        properties["evidence"] = list(f.evidence)
    if f.recommendation:
        properties["recommendation"] = f.recommendation
    result: dict[str, Any] = {
        "ruleId": f.code,
        "ruleIndex": index[f.code],
        "level": LEVEL[f.severity],
        "message": {"text": text},
        "partialFingerprints": {"schemauditFinding/v1": _digest(*f.key)},
        "properties": properties,
    }
    if location:
        result["locations"] = [location]
    return result


def _logical(f: Finding) -> dict[str, str]:
    assert f.table is not None
    if f.column:
        return {"name": f.column, "fullyQualifiedName": f"{f.table}.{f.column}", "kind": "column"}
    return {"name": f.table, "fullyQualifiedName": f.table, "kind": "table"}


def _physical(origin: str | None) -> dict[str, Any] | None:
    """`models.py:12` -> file and line; `schema.sql` -> the file alone; a URL -> nothing."""
    if not origin or _SCHEME.match(origin):
        return None
    match = _ORIGIN.match(origin)
    path, line = (match.group("path"), int(match.group("line"))) if match else (origin, None)
    physical: dict[str, Any] = {"artifactLocation": {"uri": file_uri(path)}}
    if line is not None and line >= 1:
        physical["region"] = {"startLine": line}
    return physical


def _hit_result(impact: Impact, hit: Hit, name: SearchName, index: dict[str, int]) -> dict[str, Any]:
    from schemaudit.impact.rules import rule_for

    rule = rule_for(name)
    path = impact.display_path(hit.path)
    if name.new_name is not None:
        text = f"`{hit.spelling}` is the old name of {name.kind.value} {name.label}; update this use ({name.code})."
    else:
        text = f"`{hit.spelling}` names {name.kind.value} {name.qualified}, which the database lacks ({name.code})."
    return {
        "ruleId": rule.code,
        "ruleIndex": index[rule.code],
        "level": rule.level,
        "message": {"text": text},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": file_uri(path)},
                    "region": {
                        "startLine": hit.line,
                        "startColumn": hit.column,
                        "endColumn": hit.column + len(hit.spelling),
                        "snippet": {"text": hit.text},
                    },
                },
                "logicalLocations": [
                    {
                        "name": name.name,
                        "fullyQualifiedName": name.qualified,
                        "kind": name.kind.value,
                    }
                ],
            }
        ],
        "partialFingerprints": {"schemauditUse/v1": _digest(rule.code, path, hit.text, name.label)},
        "properties": {"finding": name.code, "change": name.change, "qualified": hit.qualified},
    }


def _invocation(impact: Impact) -> dict[str, Any]:
    """The code search as an invocation: files it could not read are notifications."""
    notes = [
        {
            "level": "note",
            "message": {"text": f"not searched: {skip.reason}"},
            "locations": [
                {"physicalLocation": {"artifactLocation": {"uri": file_uri(impact.display_path(skip.path))}}}
            ],
        }
        for skip in impact.skipped
    ]
    invocation: dict[str, Any] = {
        "executionSuccessful": True,
        "properties": {"codeFolder": impact.root, "filesRead": impact.files_scanned, "listing": impact.listing},
    }
    if notes:
        invocation["toolExecutionNotifications"] = notes
    return invocation


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]
