"""The audit: grade the differences between a target and a current schema.

    from schemaudit.audit import audit, load_config
    result = audit(target, current, load_config())
    result.verdict, result.findings, result.scorecard

Rules (codes, titles, default severities) are in `rules.py`; what each says in `checks.py` and `checks_keys.py`;
the fix statements per dialect in `fixes.py`.
"""

from schemaudit import callable_package
from schemaudit.audit.config import Config, IgnoreRule, load_config
from schemaudit.audit.findings import Category, Finding, Severity, Verdict
from schemaudit.audit.result import Audit, IgnoredTable, NotAudited, Scorecard, ScoreRow, TableState, TableStatus
from schemaudit.audit.rules import REGISTRY, RULES, Rule
from schemaudit.audit.run import audit

callable_package(__name__)  # schemaudit.audit(...) is the library verb

__all__ = [
    "REGISTRY",
    "RULES",
    "Audit",
    "Category",
    "Config",
    "Finding",
    "IgnoreRule",
    "IgnoredTable",
    "NotAudited",
    "Rule",
    "ScoreRow",
    "Scorecard",
    "Severity",
    "TableState",
    "TableStatus",
    "Verdict",
    "audit",
    "load_config",
]
