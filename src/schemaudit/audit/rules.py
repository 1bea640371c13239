"""The rule registry: every finding code, registered once, with its title and default severity.

A rule names the class of change it reads and the function (in `checks.py` or
`checks_keys.py`) that turns one such change into findings. Several rules may read the same
class (a ModifyColumn can carry a type, a nullability and a default difference); each decides
for itself whether the change is its business. Codes are stable: baselines, severity
overrides and CI gates refer to them, so a code is never reused for another meaning.

Default severities follow one principle. CRITICAL: it breaks at runtime or lets bad data in.
WARNING: drift that needs a migration but breaks nothing today. INFO: a note, no work needed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from schemaudit.audit import checks, checks_defaults, checks_keys, checks_objects, rules_app
from schemaudit.audit import checks_partitions as parts
from schemaudit.audit.bookkeeping import UnusedHint
from schemaudit.audit.draft import Context, Draft
from schemaudit.audit.findings import Category, Finding, Severity
from schemaudit.diff import changes as ch
from schemaudit.diff import object_changes as oc
from schemaudit.diff import partition_changes as pc
from schemaudit.diff.result import RenameCandidate

CRITICAL, WARNING, INFO = Severity.CRITICAL, Severity.WARNING, Severity.INFO
C = Category


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    title: str
    severity: Severity
    handles: type
    check: Callable[[Any, Context], Iterable[Draft]]
    category: Category | None = None
    keeps_extra: bool = False  # an extra the current schema may keep: "matches + extras"


def _object_rules() -> tuple[Rule, ...]:
    """Views, routines, triggers, sequences, types, extensions, policies, events."""
    o = checks_objects
    add, drop, mod, ren = oc.AddObject, oc.DropObject, oc.ModifyObject, oc.RenameObject
    rules: list[Rule] = []
    groups = (  # code base, noun, kinds, severity of an extra one
        (200, "trigger", frozenset({"trigger"}), WARNING),
        (210, "view", frozenset({"view"}), INFO),
        (220, "routine", frozenset({"routine"}), INFO),
        (230, "sequence", frozenset({"sequence"}), INFO),
        (240, "type", frozenset({"enum", "domain"}), INFO),
        (250, "extension", frozenset({"extension"}), INFO),
        (260, "policy", frozenset({"policy"}), WARNING),
        (270, "event", frozenset({"event"}), INFO),
        (280, "virtual table", frozenset({"virtual table"}), INFO),
    )
    for base, noun, kinds, extra_severity in groups:
        missing_severity = WARNING if noun == "event" else CRITICAL
        rules += [
            Rule(f"SA{base + 1}", f"{noun} missing", missing_severity, add, o.missing(kinds)),
            Rule(
                f"SA{base + 2}",
                f"extra {noun}",
                extra_severity,
                drop,
                o.extra(kinds),
                keeps_extra=extra_severity is INFO,
            ),
            Rule(f"SA{base + 3}", f"{noun} differs", WARNING, mod, o.differs(kinds)),
        ]
        if noun in ("trigger", "view", "routine"):
            rules.append(Rule(f"SA{base + 4}", f"{noun} to rename", WARNING, ren, o.renamed(kinds)))
    rules += [
        Rule("SA245", "enum lacks the target's values", CRITICAL, mod, o.enum_lacks_values),
        Rule("SA264", "row-level security off", CRITICAL, add, o.missing(frozenset({"row security"}))),
        Rule("SA265", "row-level security on, not in the target", WARNING, drop, o.extra(frozenset({"row security"}))),
        Rule("SA266", "row-level security differs", WARNING, mod, o.differs(frozenset({"row security"}))),
        Rule("SA291", "object comment differs", INFO, mod, o.comment_differs),
    ]
    return tuple(rules)


RULES: tuple[Rule, ...] = (
    Rule("SA101", "table missing", CRITICAL, ch.AddTable, checks.missing_table, C.TABLES_MISSING),
    Rule("SA102", "table to rename", WARNING, ch.RenameTable, checks.renamed_table, C.TABLES_TO_RENAME),
    Rule("SA103", "extra table, safe to keep", INFO, ch.DropTable, checks.extra_table),
    Rule("SA104", "possible rename below the threshold", INFO, RenameCandidate, checks.possible_rename),
    Rule("SA105", "table options differ", WARNING, ch.ModifyTable, checks.table_options),
    Rule("SA106", "table comment differs", INFO, ch.ModifyTable, checks.table_comment),
    Rule("SA109", "partition key differs", WARNING, ch.ModifyTable, parts.partition_key_differs),
    Rule("SA185", "partition missing", CRITICAL, pc.AddPartition, parts.missing_partition),
    Rule(
        "SA186",
        "partition missing, a default partition takes its rows",
        WARNING,
        pc.AddPartition,
        parts.missing_partition_default_holds,
    ),
    Rule("SA187", "extra partition, safe to keep", INFO, pc.DropPartition, parts.extra_partition, keeps_extra=True),
    Rule("SA188", "partition bound differs", WARNING, pc.ModifyPartition, parts.partition_bound_differs),
    Rule("SA189", "sub-partitioning differs", WARNING, pc.ModifyPartition, parts.sub_partitioning_differs),
    Rule("SA107", "table is another kind of object", INFO, ch.AddTable, checks.table_as_other_kind),
    Rule("SA108", "extra table is another kind of object", INFO, ch.DropTable, checks.table_as_other_kind),
    Rule("SA111", "column missing", CRITICAL, ch.AddColumn, checks.missing_column, C.COLUMNS_MISSING),
    Rule("SA112", "column to rename", WARNING, ch.RenameColumn, checks.renamed_column, C.COLUMNS_TO_RENAME),
    Rule(
        "SA113",
        "extra column, safe to keep",
        INFO,
        ch.DropColumn,
        checks.extra_column,
        C.COLUMNS_EXTRA,
        keeps_extra=True,
    ),
    Rule(
        "SA114",
        "extra NOT NULL column without default",
        CRITICAL,
        ch.DropColumn,
        checks.extra_column_blocking,
        C.COLUMNS_EXTRA_BLOCKING,
    ),
    Rule("SA121", "incompatible type", CRITICAL, ch.ModifyColumn, checks.incompatible_type, C.COLUMN_DEFINITIONS),
    Rule("SA122", "narrower type", WARNING, ch.ModifyColumn, checks.narrower_type, C.COLUMN_DEFINITIONS),
    Rule("SA123", "wider type", INFO, ch.ModifyColumn, checks.wider_type),
    Rule("SA124", "storage-equivalent type", INFO, ch.ModifyColumn, checks.equivalent_type),
    Rule(
        "SA131",
        "NOT NULL where the target allows NULL",
        CRITICAL,
        ch.ModifyColumn,
        checks.not_null_but_target_nullable,
        C.COLUMN_DEFINITIONS,
    ),
    Rule(
        "SA132",
        "nullable where the target requires a value",
        WARNING,
        ch.ModifyColumn,
        checks.nullable_but_target_not_null,
        C.COLUMN_DEFINITIONS,
    ),
    Rule("SA133", "default differs", WARNING, ch.ModifyColumn, checks.default_differs, C.COLUMN_DEFINITIONS),
    Rule(
        "SA134",
        "NOT NULL column lacks the target's default",
        CRITICAL,
        ch.ModifyColumn,
        checks.default_missing,
        C.COLUMN_DEFINITIONS,
    ),
    Rule(
        "SA139",
        "database default equals the model's Python default",
        INFO,
        ch.ModifyColumn,
        checks_defaults.server_default_matches_python,
    ),
    Rule("SA135", "identity differs", WARNING, ch.ModifyColumn, checks.identity_differs, C.COLUMN_DEFINITIONS),
    Rule(
        "SA136",
        "generated expression differs",
        WARNING,
        ch.ModifyColumn,
        checks.generated_differs,
        C.COLUMN_DEFINITIONS,
    ),
    Rule("SA137", "collation differs", WARNING, ch.ModifyColumn, checks.collation_differs, C.COLUMN_DEFINITIONS),
    Rule("SA138", "column comment differs", INFO, ch.ModifyColumn, checks.comment_differs),
    Rule("SA130", "on update differs", WARNING, ch.ModifyColumn, checks.on_update_differs, C.COLUMN_DEFINITIONS),
    Rule(
        "SA141",
        "foreign key missing",
        CRITICAL,
        ch.AddForeignKey,
        checks_keys.missing_foreign_key,
        C.CONSTRAINTS_MISSING,
    ),
    Rule(
        "SA142",
        "foreign key action drift",
        WARNING,
        ch.ModifyForeignKey,
        checks_keys.foreign_key_drift,
        C.CONSTRAINTS_MISSING,
    ),
    Rule("SA143", "extra foreign key", WARNING, ch.DropForeignKey, checks_keys.extra_foreign_key),
    Rule(
        "SA144",
        "primary key missing",
        CRITICAL,
        ch.AddPrimaryKey,
        checks_keys.missing_primary_key,
        C.CONSTRAINTS_MISSING,
    ),
    Rule(
        "SA145",
        "primary key differs",
        CRITICAL,
        ch.ModifyPrimaryKey,
        checks_keys.primary_key_differs,
        C.CONSTRAINTS_MISSING,
    ),
    Rule(
        "SA147",
        "primary key columns in another order",
        WARNING,
        ch.ModifyPrimaryKey,
        checks_keys.primary_key_order_differs,
        C.CONSTRAINTS_MISSING,
    ),
    Rule("SA148", "primary key options differ", INFO, ch.ModifyPrimaryKey, checks_keys.primary_key_options_differ),
    Rule("SA146", "extra primary key", WARNING, ch.DropPrimaryKey, checks_keys.extra_primary_key),
    Rule(
        "SA151", "unique constraint missing", CRITICAL, ch.AddUnique, checks_keys.missing_unique, C.CONSTRAINTS_MISSING
    ),
    Rule("SA152", "extra unique constraint", WARNING, ch.DropUnique, checks_keys.extra_unique),
    Rule("SA161", "check constraint missing", CRITICAL, ch.AddCheck, checks_keys.missing_check, C.CONSTRAINTS_MISSING),
    Rule("SA162", "extra check constraint", WARNING, ch.DropCheck, checks_keys.extra_check),
    Rule("SA171", "index missing", WARNING, ch.AddIndex, checks_keys.missing_index, C.INDEXES_MISSING),
    Rule("SA172", "index served by a unique constraint", INFO, ch.AddIndex, checks_keys.index_served_by_unique),
    Rule("SA173", "index differs", WARNING, ch.ModifyIndex, checks_keys.index_differs, C.INDEXES_MISSING),
    Rule("SA175", "index under another name", INFO, ch.ModifyIndex, checks_keys.index_name_differs),
    Rule("SA174", "extra index, safe to keep", INFO, ch.DropIndex, checks_keys.extra_index, keeps_extra=True),
    Rule("SA182", "rename hint matched nothing", INFO, UnusedHint, checks_keys.unused_hint),
    Rule(
        "SA191",
        "validation only in the application",
        WARNING,
        rules_app.AppOnlyValidation,
        rules_app.app_only_validation,
    ),
    Rule(
        "SA192",
        "validation only in the application, as the model declares",
        INFO,
        rules_app.AppOnlyValidation,
        rules_app.app_only_by_design,
    ),
    *_object_rules(),
)

REGISTRY: dict[str, Rule] = {}
for _rule in RULES:
    if _rule.code in REGISTRY:  # pragma: no cover - guards the table above
        raise RuntimeError(f"finding code {_rule.code} registered twice")
    REGISTRY[_rule.code] = _rule

_BY_CLASS: dict[type, tuple[Rule, ...]] = {}
for _rule in RULES:
    _BY_CLASS[_rule.handles] = (*_BY_CLASS.get(_rule.handles, ()), _rule)

UNORDERED = 99  # fix order of findings that are not migration work


def category_of(code: str) -> Category | None:
    rule = REGISTRY.get(code)
    return rule.category if rule else None


def keeps_extra(code: str) -> bool:
    rule = REGISTRY.get(code)
    return rule.keeps_extra if rule else False


@dataclass(frozen=True, slots=True)
class Applied:
    """The findings, and which findings each audited item produced (reports draw a gap cell
    from the findings of the very change it shows, never by matching text)."""

    findings: tuple[Finding, ...]
    by_item: tuple[tuple[object, tuple[Finding, ...]], ...]


def apply_rules(items: Iterable[object], ctx: Context, severities: Mapping[str, Severity | None]) -> Applied:
    """Every rule on every item it handles. `severities` overrides defaults by code; None
    turns a rule off. Grouped drafts collapse into one finding per group."""
    per_item: list[tuple[object, list[Finding | tuple[str, str]]]] = []
    groups: dict[tuple[str, str], list[Draft]] = {}
    for item in items:
        produced: list[Finding | tuple[str, str]] = []
        for rule in _BY_CLASS.get(type(item), ()):
            severity = severities.get(rule.code, rule.severity)
            if severity is None:
                continue
            order = getattr(item, "rank", UNORDERED)
            for draft in rule.check(item, ctx):
                if draft.group is None:
                    produced.append(_finding(rule.code, severity, draft, order))
                else:
                    groups.setdefault((rule.code, draft.group), []).append(draft)
                    produced.append((rule.code, draft.group))
        per_item.append((item, produced))
    merged: dict[tuple[str, str], Finding] = {}
    for (code, group), drafts in groups.items():
        severity = severities.get(code, REGISTRY[code].severity)
        assert severity is not None
        evidence = tuple(sorted({e for d in drafts for e in d.evidence}))
        tables = {d.table for d in drafts}
        table = tables.pop() if len(tables) == 1 else None
        merged[(code, group)] = _finding(code, severity, Draft(table, None, drafts[0].message, evidence), UNORDERED)
    by_item = tuple(
        (item, tuple(merged[p] if isinstance(p, tuple) else p for p in produced)) for item, produced in per_item
    )
    findings = [f for _, produced in per_item for f in produced if isinstance(f, Finding)]
    findings.extend(merged.values())
    return Applied(tuple(sorted(findings, key=Finding.sort_key)), by_item)


def _finding(code: str, severity: Severity, draft: Draft, order: int) -> Finding:
    return Finding(
        code,
        severity,
        draft.table,
        draft.column,
        draft.message,
        draft.evidence,
        draft.recommendation,
        draft.origin,
        order,
    )
