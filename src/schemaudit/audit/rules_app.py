"""SA191/SA192: a value the application validates that the database would accept anyway.

A models source records what only the ORM enforces (`Table.app_facts`): `@validates`
methods, and `Enum` types checked in Python where the database has no native enum and no
CHECK (such an Enum counts only where the model also declares a CHECK on the column: without
one the database agrees with the model, see `_counts`). Such a rule protects ORM writes only;
raw SQL, other services, bulk loads and the next data fix bypass it. This rule looks, for each
validated column of the target, for a database-side guard on that column in the current
schema (a CHECK naming the column, or a native enum type) and reports the column when there
is none, citing the model's file and line. When the model itself declares the CHECK (and
SA161 reports it missing), this finding adds what the CHECK would protect and where the
application checks it. Where the model declares no CHECK either, the database agrees with the
model: SA192, a note (INFO), not drift.

The audit feeds the rule with `app_only_validations(target, current)`, one item per column.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from schemaudit.audit.draft import Context, Draft
from schemaudit.identifiers import quote
from schemaudit.model import AppFact, CheckConstraint, Schema, Table, TypeFamily

VALIDATING_KINDS = ("validates", "enum")  # defaults and Boolean coercion are not validations
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_$]*")


@dataclass(frozen=True, slots=True)
class AppOnlyValidation:
    """A target column validated only by the application: its facts, and the target's own
    CHECK on it (which the current schema lacks) if the model declares one."""

    table: str
    column: str
    facts: tuple[AppFact, ...]
    target_check: CheckConstraint | None = None


def app_only_validations(target: Schema, current: Schema) -> tuple[AppOnlyValidation, ...]:
    """One item per validated target column that the current database does not guard.
    Tables or columns missing from the current schema are left to SA101/SA111."""
    out = []
    for table in target.tables:
        facts = [f for f in table.app_facts if _counts(f, table, target)]
        if not facts:
            continue
        other = current.table(table.name)
        if other is None:
            continue
        for column in sorted({f.column for f in facts if f.column}):
            if other.column(column, current.rules) is None or guarded(other, column, current):
                continue
            mine = tuple(f for f in facts if f.column == column)
            out.append(AppOnlyValidation(table.name, column, mine, _check_on(table, column)))
    return tuple(out)


def _counts(fact: AppFact, table: Table, target: Schema) -> bool:
    """Whether a fact is evidence of a guard the database lacks. A non-native `Enum`
    (`native_enum=False`, or any Enum on SQLite) is a VARCHAR whose values SQLAlchemy checks,
    by the model's own design: the model asks for no CHECK, so a database without one agrees
    with it. It counts only where the model also declares a CHECK on the column."""
    if fact.kind not in VALIDATING_KINDS or not fact.column:
        return False
    return fact.kind != "enum" or _check_on(table, fact.column) is not None


def guarded(table: Table, column: str, schema: Schema) -> bool:
    """Whether the database restricts the column's values: a CHECK that names it, or a
    native enum type."""
    col = table.column(column, schema.rules)
    if col is not None and col.type.family is TypeFamily.ENUM:
        return True
    return _check_on(table, column) is not None


def _check_on(table: Table, column: str) -> CheckConstraint | None:
    wanted = column.lower()
    for check in table.checks:
        if (check.column or "").lower() == wanted or wanted in _identifiers(check.expression):
            return check
    return None


def _identifiers(expression: str) -> set[str]:
    """Words of an expression outside string literals, lower case (quotes removed)."""
    without_strings = re.sub(r"'[^']*(?:''[^']*)*'", " ", expression)
    return {w.lower() for w in _WORD.findall(without_strings.replace('"', " ").replace("`", " "))}


def app_only_validation(item: AppOnlyValidation, ctx: Context) -> Iterator[Draft]:
    """SA191: the model declares a CHECK for what it validates, and the database lacks it."""
    if item.target_check is None:
        return
    name = f" {item.target_check.name}" if item.target_check.name else ""
    yield _draft(
        item,
        ctx,
        f" The model's CHECK{name} would enforce it in the database, but it is not there (SA161).",
    )


def app_only_by_design(item: AppOnlyValidation, ctx: Context) -> Iterator[Draft]:
    """SA192: neither the model nor the database has a CHECK for what the application
    validates. The two agree, so this is no drift, only a note on where the rule lives."""
    if item.target_check is not None:
        return
    yield _draft(item, ctx, " The model declares no CHECK either: the database agrees with it.")


def _draft(item: AppOnlyValidation, ctx: Context, tail: str) -> Draft:
    how = "; ".join(_describe(f) for f in item.facts)
    message = (
        f"{item.table}.{item.column} is validated only by the application ({how}): the database accepts any "
        "value, so raw SQL, other services and bulk loads bypass the rule." + tail
    )
    evidence = tuple(f"{f.kind}: {f.detail}" + (f" at {f.origin}" if f.origin else "") for f in item.facts)
    origin = next((str(f.origin) for f in item.facts if f.origin is not None), None)
    return Draft(item.table, item.column, message, evidence, _fix(item, ctx), origin)


def _describe(fact: AppFact) -> str:
    where = f" at {fact.origin}" if fact.origin else ""
    return f"{fact.detail}{where}"


def _fix(item: AppOnlyValidation, ctx: Context) -> str:
    if item.target_check is not None:
        return ctx.fixes.add_check(item.table, item.target_check)
    values = next((f.values for f in item.facts if f.values), ())
    if values:
        listed = ", ".join("'" + v.replace("'", "''") + "'" for v in values)
        column = quote(item.column, ctx.current.dialect) if not item.column.isidentifier() else item.column
        check = CheckConstraint(f"{column} IN ({listed})", f"ck_{item.table}_{item.column}", item.column)
        return ctx.fixes.add_check(item.table, check)
    method = next((f.detail for f in item.facts if f.kind == "validates"), "the validator")
    return (
        f"Add a CHECK constraint on {item.table}.{item.column} that mirrors {method}, "
        "or document why the database need not enforce it."
    )
