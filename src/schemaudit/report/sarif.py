"""SARIF 2.1.0: the audit for code-scanning tools, which annotate the line a finding cites.

Each finding is a result with its rule id, a level (critical -> error, warning -> warning,
info -> note) and a location: the file and line of the definition it is about when the
source knows it (a model's line, a migration file, a spec line), and always a logical
location naming the table or column, which is all a live database can give. Every rule of
the audit's registry is listed in `tool.driver.rules` with its title, a full description,
help (text and markdown, from `audit/rule_docs.py`), machine-style tags and, for the rules
tagged `security`, a `security-severity` score, as GitHub code scanning reads them. `helpUri`
points at the rule's heading in docs/RULES.md where it is published: `docs_url` of
`[tool.schemaudit]` (a page ending .md or .html is the rules page itself, else the folder
holding RULES.md), else the documentation URL the installed package names (`Project-URL:
Documentation`). schemaudit names none of its own, having no public address to name; without
one the link is left out, since a relative link would resolve inside the audited repository,
not schemaudit's.

File URIs are relative to `%SRCROOT%`, the root of the repository (the folder holding `.git`
above the working directory, else the config file's folder, else the working directory), so
a run from a subfolder still resolves in code scanning, which checks the repository out at
`%SRCROOT%`. The base is described, not spelled out as this machine's absolute path; a file
outside the root keeps an absolute `file://` URI.
With `--code DIR` the uses of renamed and missing names are results too (rules SI1xx), at
their file, line and column. Fingerprints hang on what a result is about (code, table,
column; file, line text and change), not on line numbers, so an alert survives edits above
it. Output is deterministic: no timestamps, no absolute paths the sources did not give.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from schemaudit import __version__
from schemaudit.audit import rule_docs
from schemaudit.audit.findings import Finding, Severity
from schemaudit.audit.result import Audit, TableState
from schemaudit.audit.rules import RULES, Rule
from schemaudit.files import json_text
from schemaudit.report.common import schema_label

if TYPE_CHECKING:
    from schemaudit.impact.model import Hit, Impact, SearchName

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVEL: dict[Severity, str] = {Severity.CRITICAL: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_ORIGIN = re.compile(r"^(?P<path>.+?):(?P<line>\d+)$")
SRCROOT = "%SRCROOT%"
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://")


def render(audit: Audit, impact: Impact | None = None) -> str:
    return json_text(to_dict(audit, impact))


def to_dict(audit: Audit, impact: Impact | None = None, docs_url: str | None = None) -> dict[str, Any]:
    """The SARIF log; `docs_url` (default: the config's, else the package's documentation URL,
    if either names one) is where docs/RULES.md is published."""
    docs = docs_url if docs_url is not None else (audit.config.docs_url or _docs_url())
    rules = [_audit_rule(r, docs) for r in RULES]
    if impact is not None:
        from schemaudit.impact.rules import IMPACT_RULES

        rules += [_rule(r.code, r.title, r.level, {"tags": ["schema", "code-use"]}) for r in IMPACT_RULES]
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    base = _Base.find(audit.config.source)
    results = [_finding_result(f, index, base) for f in audit.findings]
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "schemaudit",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": rules,
            }
        },
        "originalUriBaseIds": {
            SRCROOT: {"description": {"text": "The root of the repository: file paths are relative to it."}}
        },
        "columnKind": "unicodeCodePoints",
        "results": results,
        "properties": {
            "verdict": audit.verdict.value,
            "target": schema_label(audit.target),
            "current": schema_label(audit.current),
            "counts": {s.value: audit.count(s) for s in Severity},
            "tables": _table_states(audit),
        },
    }
    if impact is not None:
        results += [_hit_result(impact, hit, name, index, base) for hit in impact.hits for name in hit.names]
        run["invocations"] = [_invocation(impact, base)]
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


def _table_states(audit: Audit) -> dict[str, int]:
    """How many tables are in each state (`missing`, `other kind`, ...), as the other reports
    count them: a code-scanning view has only the results, which say nothing of a table that
    matches or that the other side has as a view."""
    counts = Counter(t.state for t in audit.tables)
    return {state.value: counts[state] for state in TableState if counts[state]}


def _audit_rule(rule: Rule, docs: str | None) -> dict[str, Any]:
    properties: dict[str, Any] = {"severity": rule.severity.value, "tags": rule_docs.tags(rule)}
    if rule.code in rule_docs.SECURITY_SEVERITY:
        properties["security-severity"] = rule_docs.SECURITY_SEVERITY[rule.code]
    out = _rule(rule.code, rule.title, LEVEL[rule.severity], properties, rule_docs.description(rule))
    out["help"] = {"text": rule_docs.help_text(rule), "markdown": rule_docs.help_markdown(rule)}
    if docs:
        out["helpUri"] = f"{rules_page(docs)}#{rule_docs.anchor(rule.code)}"
    return out


def _rule(code: str, title: str, level: str, properties: dict[str, Any], full: str | None = None) -> dict[str, Any]:
    short = title[:1].upper() + title[1:]
    return {
        "id": code,
        "name": "".join(word[:1].upper() + word[1:] for word in re.findall(r"[A-Za-z0-9]+", title)),
        "shortDescription": {"text": short},
        "fullDescription": {"text": full or f"{short}."},
        "defaultConfiguration": {"level": level},
        "properties": properties,
    }


def rules_page(docs: str) -> str:
    """The URL of the rules page: `docs` itself when it names a page, else RULES.md in it."""
    page = docs.split("#", 1)[0]
    if page.lower().endswith((".md", ".html", ".htm")):
        return page
    return f"{page.rstrip('/')}/RULES.md"


def _docs_url() -> str | None:
    """The documentation URL the installed package names, if any."""
    from importlib.metadata import PackageNotFoundError, metadata

    try:
        urls = metadata("schemaudit").get_all("Project-URL") or []
    except PackageNotFoundError:
        return None
    for entry in urls:
        label, _, url = str(entry).partition(",")
        if label.strip().lower() == "documentation" and url.strip().startswith("https://"):
            return str(url.strip())
    return None


@dataclass(frozen=True, slots=True)
class _Base:
    """Where `%SRCROOT%` is, to turn paths relative to the working directory into URIs
    relative to the repository root."""

    cwd: Path
    root: Path

    @classmethod
    def find(cls, config_source: str | None) -> _Base:
        cwd = Path.cwd().resolve()
        for folder in (cwd, *cwd.parents):
            if (folder / ".git").exists():
                return cls(cwd, folder)
        config = Path(re.sub(r" \(env [^)]*\)$", "", config_source)) if config_source else None
        if config is not None and config.is_file():
            return cls(cwd, config.resolve().parent)
        return cls(cwd, cwd)

    def location(self, path: str) -> dict[str, str]:
        """An artifactLocation: relative to %SRCROOT% when the file is under it."""
        if PureWindowsPath(path).drive or _SCHEME.match(path):
            return {"uri": file_uri(path)}
        full = Path(os.path.normpath(self.cwd / path))
        try:
            relative = full.relative_to(self.root)
        except ValueError:
            return {"uri": file_uri(str(full))}
        return {"uri": file_uri(relative.as_posix()), "uriBaseId": SRCROOT}


def _finding_result(f: Finding, index: dict[str, int], base: _Base) -> dict[str, Any]:
    text = f.message + (f"\n\nRecommended fix:\n{f.recommendation}" if f.recommendation else "")
    location: dict[str, Any] = {"logicalLocations": [_logical(f)]} if f.table else {}
    physical = _physical(f.origin, base)
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


def _physical(origin: str | None, base: _Base) -> dict[str, Any] | None:
    """`models.py:12` -> file and line; `schema.sql` -> the file alone; a URL -> nothing."""
    if not origin or _SCHEME.match(origin):
        return None
    match = _ORIGIN.match(origin)
    path, line = (match.group("path"), int(match.group("line"))) if match else (origin, None)
    physical: dict[str, Any] = {"artifactLocation": base.location(path)}
    if line is not None and line >= 1:
        physical["region"] = {"startLine": line}
    return physical


def _hit_result(impact: Impact, hit: Hit, name: SearchName, index: dict[str, int], base: _Base) -> dict[str, Any]:
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
                    "artifactLocation": base.location(path),
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


def _invocation(impact: Impact, base: _Base) -> dict[str, Any]:
    """The code search as an invocation: files it could not read are notifications."""
    notes = [
        {
            "level": "note",
            "message": {"text": f"not searched: {skip.reason}"},
            "locations": [{"physicalLocation": {"artifactLocation": base.location(impact.display_path(skip.path))}}],
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
