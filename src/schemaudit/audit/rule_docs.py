"""What each rule means, for readers who meet a code without the report around it: a code
scanning alert (SARIF `fullDescription`, `help`, `tags`) and `docs/RULES.md`, which is
generated from here (`python -m schemaudit.audit.rule_docs > docs/RULES.md`; a test keeps
it in sync).

Descriptions of the table, column, key and index rules are written per rule; the rules for
views, routines, triggers and the other objects share one wording per kind of change, with
the object's noun. Tags are machine-style (`schema`, `security`, `data-loss`, ...), as code
scanning filters on them; rules tagged `security` carry a `security-severity` score.
"""

from __future__ import annotations

import re

from schemaudit.audit.findings import Category, Severity
from schemaudit.audit.rules import RULES, Rule

_WRITTEN: dict[str, str] = {
    "SA101": "The target defines a table the current schema lacks: code that reads or writes it fails.",
    "SA102": "A current table matches a target table under another name, on evidence (columns, types, "
    "foreign-key roles); the database must rename it, or the code must use the old name.",
    "SA103": "The current schema has a table the target does not define. It breaks nothing; keep it, "
    "model it, or drop it when it is known to be unused.",
    "SA104": "A missing table and an extra one look alike, but not enough to call it a rename; check by "
    "hand, and give a rename hint if it is one.",
    "SA105": "Table options (SQLite STRICT or WITHOUT ROWID, MySQL engine or charset, PostgreSQL "
    "UNLOGGED) differ from the target's.",
    "SA106": "The table's comment differs from the target's.",
    "SA107": "The target defines a table where the current schema has a view or another kind of object of that name.",
    "SA108": "The current schema has an object of another kind where the target has none.",
    "SA109": "The table is partitioned by another key than the target's (PostgreSQL `PARTITION BY`): rows "
    "are routed to partitions differently. PostgreSQL cannot change a key in place; the table is rebuilt.",
    "SA111": "The target defines a column the current table lacks: inserts and selects that name it fail.",
    "SA112": "A current column matches a target column under another name, on evidence; rename it, or "
    "the code keeps using the old name.",
    "SA113": "The current table has a column the target does not define; it is nullable or has a "
    "default, so inserts that leave it out still work.",
    "SA114": "The current table has a NOT NULL column without a default that the target does not "
    "define: every insert written for the target fails.",
    "SA121": "The column's type cannot hold the target's values (TEXT where INTEGER is meant, or the "
    "reverse): writes fail or values change meaning.",
    "SA122": "The column's type is narrower than the target's (VARCHAR(100) for VARCHAR(255), INT for "
    "BIGINT): long or large values are refused or cut.",
    "SA123": "The column's type is wider than the target's; nothing breaks.",
    "SA124": "The column stores the target's type in another form the database treats the same way "
    "(UUID as TEXT on SQLite, booleans as 0/1); no change is needed.",
    "SA130": "The column's ON UPDATE clause (MySQL) differs from the target's.",
    "SA131": "The column is NOT NULL where the target allows NULL: writes that leave it empty fail.",
    "SA132": "The column allows NULL where the target requires a value: missing values get in.",
    "SA133": "The column's default differs from the target's: rows written without the column get another value.",
    "SA134": "The column is NOT NULL but lacks the target's default: inserts that rely on the default fail.",
    "SA135": "The column's identity or auto-increment differs from the target's.",
    "SA136": "The generated column's expression differs from the target's.",
    "SA137": "The column's collation differs from the target's: sorting and comparisons change.",
    "SA138": "The column's comment differs from the target's.",
    "SA139": "The database default is the value the model sets in Python; both agree, noted only.",
    "SA141": "The target's foreign key is missing: rows can point at parents that do not exist.",
    "SA142": "The foreign key's ON DELETE or ON UPDATE action differs from the target's: deletes "
    "cascade, fail or leave orphans where the target says otherwise.",
    "SA143": "The current table has a foreign key the target does not define: writes the target allows "
    "may be refused. Add it to the model when it is meant.",
    "SA144": "The table has no primary key where the target has one: duplicate rows get in and ORMs "
    "cannot address a row.",
    "SA145": "The primary key covers other columns than the target's.",
    "SA146": "The current table has a primary key the target does not define.",
    "SA147": "The primary key has the target's columns in another order (a different index for lookups).",
    "SA148": "The primary key has the target's columns, but its declared options (MySQL/MariaDB `USING "
    "BTREE`, `KEY_BLOCK_SIZE`) or comment differ; nothing behaves differently.",
    "SA151": "The target's unique constraint is missing: duplicates get in.",
    "SA152": "The current table has a unique constraint the target does not define: writes the target "
    "allows may be refused.",
    "SA161": "The target's check constraint is missing: values it would refuse get in.",
    "SA162": "The current table has a check constraint the target does not define: writes the target "
    "allows may be refused.",
    "SA171": "The target's index is missing: queries that need it scan the table.",
    "SA172": "The target asks for an index the unique constraint's own index already provides; nothing to do.",
    "SA173": "An index covers other columns, order or condition than the target's index it stands for.",
    "SA174": "The current table has an index the target does not define; it costs writes and breaks nothing.",
    "SA175": "An index has the target's definition under another name; renaming is optional.",
    "SA182": "A rename hint from the config or the command line matched no table or column; it may be stale.",
    "SA185": "The target's partition is missing and the table has no default partition: inserts of rows in "
    "its range fail (no partition of the table is found for the row).",
    "SA186": "The target's partition is missing, and the table's default partition takes its rows: nothing "
    "fails, but the partition cannot be created while the default partition holds rows of its range.",
    "SA187": "The current table has a partition the target does not define; it holds its rows and breaks "
    "nothing. Dropping it drops its rows.",
    "SA188": "A partition holds another range or list of values than the target's (PostgreSQL `FOR VALUES`): "
    "rows are routed differently. Detaching it and attaching it again with the target's bound keeps its rows, "
    "when they all fit.",
    "SA189": "A partition is partitioned again (sub-partitions) differently from the target's.",
    "SA191": "The models validate a value in the application (a `@validates` method, an enum in Python) "
    "and declare a CHECK for it that the database lacks; the database accepts what other writers send.",
    "SA192": "The models validate a value only in the application and declare no CHECK for it, and the "
    "database has none either: no drift, a note that other writers are not checked.",
    "SA245": "The enum type lacks values the target's enum has: writes of those values fail.",
    "SA264": "Row-level security is off on a table where the target turns it on: every row is visible "
    "to every role the table is granted to.",
    "SA265": "Row-level security is on where the target leaves it off: roles may see fewer rows than "
    "the application expects.",
    "SA266": "Row-level security is forced or configured differently from the target.",
    "SA291": "The object's comment differs from the target's.",
}

_OBJECT_WORDING = {
    "missing": "The target defines this {noun}; the current schema lacks it, so what relies on it fails.",
    "extra": "The current schema has a {noun} the target does not define.",
    "differs": "The {noun}'s definition differs from the target's, as the database prints both.",
    "to rename": "A current {noun} has the target's definition under another name.",
}

_FIX = {
    Severity.CRITICAL: "Fix before release: it breaks at runtime or lets bad data in.",
    Severity.WARNING: "Plan a migration: the drift breaks nothing today.",
    Severity.INFO: "A note: no work is needed.",
}

_CATEGORY_TAGS: dict[Category, tuple[str, ...]] = {
    Category.TABLES_TO_RENAME: ("rename",),
    Category.TABLES_MISSING: ("missing",),
    Category.COLUMNS_TO_RENAME: ("rename",),
    Category.COLUMNS_MISSING: ("missing",),
    Category.COLUMNS_EXTRA: ("extra",),
    Category.COLUMNS_EXTRA_BLOCKING: ("extra", "correctness"),
    Category.COLUMN_DEFINITIONS: ("column-definition",),
    Category.CONSTRAINTS_MISSING: ("constraint", "data-integrity"),
    Category.INDEXES_MISSING: ("index", "performance"),
}
_CODE_TAGS: dict[str, tuple[str, ...]] = {
    "SA121": ("data-loss",),
    "SA122": ("data-loss",),
    "SA131": ("correctness",),
    "SA132": ("data-integrity",),
    "SA134": ("correctness",),
    "SA141": ("constraint", "data-integrity"),
    "SA151": ("constraint", "data-integrity"),
    "SA161": ("constraint", "data-integrity"),
    "SA191": ("data-integrity",),
    "SA245": ("correctness",),
}
# GitHub reads `security-severity` (0.0-10.0) on rules tagged `security`: 7.0+ is high.
SECURITY_SEVERITY: dict[str, str] = {
    "SA261": "7.5",  # a policy missing: rows it would hide are visible
    "SA262": "4.0",
    "SA263": "6.0",
    "SA264": "8.0",  # row-level security off: every row visible
    "SA265": "3.0",
    "SA266": "6.0",
}


def description(rule: Rule) -> str:
    """What the rule finds and why it matters, in a sentence or two."""
    written = _WRITTEN.get(rule.code)
    if written:
        return written
    for change, wording in _OBJECT_WORDING.items():
        if rule.title.endswith(f" {change}") or rule.title.startswith(f"{change} "):
            noun = rule.title.removesuffix(f" {change}").removeprefix(f"{change} ")
            return wording.format(noun=noun)
    return rule.title[:1].upper() + rule.title[1:] + "."


_TITLE_TAGS = (  # a word of the title, the tag it gives
    ("missing", "missing"),
    ("extra", "extra"),
    ("rename", "rename"),
    ("index", "index"),
    ("type", "column-definition"),
    ("comment", "documentation"),
    ("foreign key", "constraint"),
    ("unique", "constraint"),
    ("check", "constraint"),
    ("primary key", "constraint"),
)


def tags(rule: Rule) -> list[str]:
    """Machine-style tags: always `schema`, then what kind of drift and what it risks."""
    found = ["schema"]
    if rule.category is not None:
        found += _CATEGORY_TAGS[rule.category]
    objects = rule.code >= "SA201"  # views, routines, types...: "type" is not a column's there
    found += [tag for word, tag in _TITLE_TAGS if word in rule.title and not (objects and word == "type")]
    found += _CODE_TAGS.get(rule.code, ())
    if rule.code in SECURITY_SEVERITY:
        found.append("security")
    if rule.code >= "SA201" and rule.code != "SA245":
        found.append("database-object")
    return list(dict.fromkeys(found))


def anchor(code: str) -> str:
    """The heading anchor of a rule in docs/RULES.md."""
    return code.lower()


def help_text(rule: Rule) -> str:
    return f"{description(rule)} Default severity {rule.severity.label}. {_FIX[rule.severity]}"


def help_markdown(rule: Rule) -> str:
    return (
        f"**{rule.code}: {rule.title}** (default severity {rule.severity.label})\n\n"
        f"{description(rule)}\n\n{_FIX[rule.severity]} The severity can be changed per code in "
        "`[tool.schemaudit.severity]`."
    )


def rules_markdown() -> str:
    """docs/RULES.md: every rule with its code as the heading (anchor `#sa101`)."""
    lines = [
        "# Rules",
        "",
        "Every finding schemaudit reports has a stable code. This page is generated from the rule",
        "registry (`python -m schemaudit.audit.rule_docs > docs/RULES.md`); SARIF reports link to",
        "its headings. CRITICAL: it breaks at runtime or lets bad data in. WARNING: drift that needs",
        "a migration but breaks nothing today. INFO: a note, no work needed. Severities can be",
        "changed per code in `[tool.schemaudit.severity]`.",
        "",
        "| code | title | default severity | tags |",
        "|---|---|---|---|",
    ]
    ordered = sorted(RULES, key=lambda r: r.code)
    lines += [
        f"| [{r.code}](#{anchor(r.code)}) | {r.title} | {r.severity.label} | {', '.join(tags(r))} |" for r in ordered
    ]
    for rule in ordered:
        lines += ["", f"## {rule.code}", "", f"**{rule.title}** — default severity {rule.severity.label}.", ""]
        lines.append(description(rule))
        lines += ["", f"Tags: {', '.join(f'`{t}`' for t in tags(rule))}."]
        if rule.code in SECURITY_SEVERITY:
            lines[-1] += f" Security severity {SECURITY_SEVERITY[rule.code]}."
    return "\n".join(lines) + "\n"


def _check_titles() -> None:
    """Every code is SA followed by three digits (the anchors rely on it)."""
    bad = [r.code for r in RULES if not re.fullmatch(r"SA\d{3}", r.code)]
    if bad:
        raise ValueError(f"rule codes not of the form SA###: {bad}")


if __name__ == "__main__":
    _check_titles()
    print(rules_markdown(), end="")
