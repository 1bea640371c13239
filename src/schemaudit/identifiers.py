"""How a dialect compares identifiers, and how it quotes them.

Catalog names are stored exactly as the database holds them; the question is only whether
two spellings name the same object. PostgreSQL folds *unquoted* names to lower case when it
parses DDL, but compares stored names exactly; SQLite compares names case-insensitively
(ASCII only); MySQL compares column names case-insensitively and table names according to
the server's `lower_case_table_names` setting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from schemaudit.terminal import INVISIBLE


def _ascii_lower(name: str) -> str:
    return name.translate(_ASCII_LOWER)


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


@dataclass(frozen=True, slots=True)
class IdentifierRules:
    """Case sensitivity of stored names, and the case unquoted names fold to when parsed."""

    tables_case_sensitive: bool = True
    columns_case_sensitive: bool = True
    unquoted_fold: str | None = None  # "lower", "upper" or None (kept as written)

    def table_key(self, name: str) -> str:
        return name if self.tables_case_sensitive else _ascii_lower(name)

    def column_key(self, name: str) -> str:
        return name if self.columns_case_sensitive else _ascii_lower(name)

    def fold_unquoted(self, name: str) -> str:
        """The stored name of an identifier written without quotes in DDL."""
        if self.unquoted_fold == "lower":
            return _ascii_lower(name)
        if self.unquoted_fold == "upper":
            return name.upper()
        return name


POSTGRESQL_RULES = IdentifierRules(True, True, "lower")
SQLITE_RULES = IdentifierRules(False, False, None)


def mysql_rules(lower_case_table_names: int) -> IdentifierRules:
    """MySQL: 0 keeps table names case-sensitive; 1 and 2 compare them in lower case."""
    return IdentifierRules(lower_case_table_names == 0, False, None)


RULES_BY_DIALECT: dict[str, IdentifierRules] = {
    "postgresql": POSTGRESQL_RULES,
    "sqlite": SQLITE_RULES,
    "mysql": mysql_rules(0),
}


def quote(name: str, dialect: str) -> str:
    """Quote an identifier by the dialect's rules, doubling the quote character inside it.

    On PostgreSQL a name with control characters is written `U&"t\\001B..."`: the SQL a
    reviewer reads (and a checkout may re-end lines in) then holds no raw escape or carriage
    return. SQLite and MariaDB have no escape inside an identifier: the character stays, and
    every listing shows it escaped (`terminal.visible`)."""
    if dialect == "mysql":
        return "`" + name.replace("`", "``") + "`"
    if dialect == "postgresql" and _CONTROL_IN_NAME.search(name):
        return 'U&"' + "".join(_unicode_escape(c) for c in name) + '"'
    return '"' + name.replace('"', '""') + '"'


_CONTROL_IN_NAME = re.compile(f"[\n\t{INVISIBLE}]")


def _unicode_escape(char: str) -> str:
    if char == "\\":
        return "\\\\"
    if char == '"':
        return '""'
    if _CONTROL_IN_NAME.match(char):
        return f"\\{ord(char):04X}"
    return char
