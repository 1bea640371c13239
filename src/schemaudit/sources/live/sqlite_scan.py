"""Facts that only the CREATE TABLE / CREATE INDEX text of an SQLite schema holds.

SQLite's pragmas report columns, keys and indexes, but not CHECK constraints, the names
given with `CONSTRAINT name`, generated-column expressions, AUTOINCREMENT, a column's
COLLATE, FK deferrability, or an index's expression elements and partial WHERE. Those live
only in `sqlite_schema.sql`, so we read them from there.

Why a hand-made scanner and not sqlglot: sqlglot's parse costs about 5 ms per CREATE TABLE
and even its tokenizer about 0.4 ms, i.e. seconds at 5,000 tables, more than all the
catalog queries together. We need no syntax tree, only a handful of keywords and the spans
of the parenthesised groups after them. So one regex does the lexing in C: each match
first skips, possessively, everything that cannot matter (blanks, other words, numbers,
operators) *and* everything that could hide a keyword (string literals, "..."/`...`/[...]
quoted identifiers, -- and /* */ comments), then captures one token: `(`, `)`, `,` or a
keyword. The table lexer also skips a comma together with the plain column definition
after it (no keyword, no nested parentheses), so the Python loop sees only the few items
that carry facts.

The lexer runs over an ASCII upper-cased copy (same length, so positions carry over);
names and expression text are always sliced from the original, kept exactly as written.
Two shortcuts keep a big schema cheap (measured at 5,000 tables, this scan cost a third as
much as all the catalog queries): a plainly spelled `CONSTRAINT name KIND` is one token,
and a CREATE TABLE whose first items are provably plain is lexed from the first item that
may carry facts (`_resume_point`). Both find exactly what the word-by-word, whole-text
pass finds; the tests compare them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from schemaudit.sources.live.sqlite_lex import (
    INDEX_LEX,
    NAME_THEN_WORD,
    NEEDS_GROUP,
    NOT_BEFORE,
    TABLE_CONSTRAINTS,
    TABLE_KEYWORDS,
    TABLE_LEX,
    WC,
    ListItem,
    column_list,
    dequote,
    list_items,
    name_at,
    upper_ascii,
)


@dataclass(frozen=True, slots=True)
class ColumnFacts:
    """Facts of one column definition that the pragmas do not report."""

    collation: str | None = None
    generated: str | None = None
    autoincrement: bool = False


@dataclass(frozen=True, slots=True)
class CheckFacts:
    expression: str
    name: str | None = None
    column: str | None = None


@dataclass(frozen=True, slots=True)
class ForeignKeyFacts:
    """What the pragma cannot say about a foreign key: its name and deferrability."""

    columns: tuple[str, ...]
    ref_table: str
    name: str | None = None
    deferrable: bool = False
    initially_deferred: bool = False


@dataclass(slots=True)
class TableFacts:
    """Everything read from one CREATE TABLE; `columns` holds only columns with facts."""

    columns: dict[str, ColumnFacts] = field(default_factory=dict)
    primary_key_name: str | None = None
    checks: list[CheckFacts] = field(default_factory=list)
    uniques: list[tuple[tuple[str, ...], str | None]] = field(default_factory=list)
    foreign_keys: list[ForeignKeyFacts] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class IndexElementFacts:
    expression: str
    collation: str | None = None


@dataclass(frozen=True, slots=True)
class IndexFacts:
    elements: tuple[IndexElementFacts, ...] = ()
    where: str | None = None


_FACT_WORDS = ("CHECK", "CONSTRAINT", "COLLATE", "AUTOINCREMENT", "DEFERRABLE")


def might_have_facts(sql: str) -> bool:
    """A cheap pre-test: a CREATE TABLE without these words (as any substring, any case)
    holds nothing the pragmas lack, except generated-column expressions, which the pragmas
    at least flag. Plain tables, the common case, then cost no scan at all."""
    upper = sql.upper()
    return any(word in upper for word in _FACT_WORDS)


def scan_create_table(sql: str) -> TableFacts:
    """Read constraint names, checks, generated expressions etc. from a CREATE TABLE."""
    scanner = _TableScanner(sql)
    start = _resume_point(scanner.upper)
    if start > 0 and scanner.plain_constraints(start):
        return scanner.facts
    if start >= 0:
        scanner.run(start)
    return scanner.facts


# Words that start every item with facts, except a generated column's `AS`.
_FACT_START_WORDS = ("CONSTRAINT", "CHECK", "COLLATE", "AUTOINCREMENT", "DEFERRABLE", "UNIQUE")
_STRING = re.compile(r"'[^']*(?:''[^']*)*'")
_STRUCTURE = re.compile(r"[(),]")
_AS = re.compile(rf"AS(?!{WC})")
_WORD_CHAR = re.compile(WC)
_PLAIN_NAME = rf"(?!(?:{TABLE_KEYWORDS})(?!{WC}))[A-Z_][A-Z0-9_$]*(?!{WC})"
_BALANCED = r"\((?:[^()]|\((?:[^()]|\([^()]*\))*\))*\)"  # up to three levels deep
_FK_ACTION = r"\s+ON\s+(?:DELETE|UPDATE)\s+(?:SET\s+NULL|SET\s+DEFAULT|CASCADE|RESTRICT|NO\s+ACTION)"
# One table constraint in its most common spelling, and the comma or parenthesis after it.
_PLAIN_CONSTRAINT = re.compile(
    rf"\s*CONSTRAINT\s+(?P<name>{_PLAIN_NAME})\s+(?:"
    rf"PRIMARY\s+KEY\s*(?P<pk>\([^()]*\))"
    rf"|UNIQUE\s*(?P<uq>\([^()]*\))"
    rf"|CHECK\s*(?P<ck>{_BALANCED})"
    rf"|FOREIGN\s+KEY\s*(?P<fk>\([^()]*\))\s*REFERENCES\s+(?P<ref>{_PLAIN_NAME})\s*(?:\([^()]*\))?(?:{_FK_ACTION})*"
    r")\s*(?:,|(?P<end>\)))"
)


def _resume_point(upper: str) -> int:
    """Where the lexer may start without changing what it finds: after the last top-level
    comma before the first fact word (0: from the start; -1: there is nothing to find).

    Plain column definitions usually come first and most of a table is plain, so this
    spares lexing most of its text. It holds only when the text before that word is
    provably plain: no quoted identifier or comment, no string literal holding a
    parenthesis or comma, no word AS (a generated column) and every parenthesis but the
    table's own closed; otherwise the whole text is lexed. `upper` is stored SQL, so the
    table's body never closes before its end.
    """
    end = len(upper)
    for word in _FACT_START_WORDS:
        found = upper.find(word, 0, end)
        if found >= 0:
            end = found
    prefix = upper[:end]
    if '"' in prefix or "`" in prefix or "[" in prefix or "--" in prefix or "/*" in prefix:
        return 0  # a quoted identifier or a comment could hide a parenthesis, comma or keyword
    quotes = prefix.count("'")
    if quotes:
        strings = "".join(_STRING.findall(prefix))
        if strings.count("'") != quotes or _STRUCTURE.search(strings):
            return 0  # an unterminated string, or one that would fool the counts below
    if "AS" in prefix:
        for match in _AS.finditer(prefix):
            if match.start() == 0 or not _WORD_CHAR.match(prefix, match.start() - 1):
                return 0
    if end == len(upper):
        return -1
    body = prefix.find("(")
    if body < 0 or prefix.count("(") - prefix.count(")") != 1:
        return 0
    comma = prefix.rfind(",")
    while comma > body:
        if prefix.count("(", 0, comma) - prefix.count(")", 0, comma) == 1:
            return comma + 1
        comma = prefix.rfind(",", 0, comma)
    return body + 1


class _Item:
    """One column definition or table constraint that shows keywords (most columns show
    none and never get one). Class attributes are the defaults, so creating it is cheap."""

    column: str | None = None
    column_known = False  # `column` is read lazily: many items never need it
    pending: tuple[str, str] | None = None  # CONSTRAINT name, and the keyword it precedes
    collation: str | None = None
    generated: str | None = None
    autoincrement = False
    fk_columns: tuple[str, ...] | None = None  # from FOREIGN KEY (...)
    fk_name: str | None = None
    references = -1  # where REFERENCES ends
    fk_added = False

    def __init__(self, start: int, first_keyword: int) -> None:
        self.start = start
        self.first_keyword = first_keyword


class _TableScanner:
    """One pass over the body of a CREATE TABLE.

    The loop in `run` only counts parentheses and notices item boundaries; the rare
    keywords and the groups that follow them go to small handlers.
    """

    __slots__ = ("expect", "facts", "item", "sql", "upper")

    def __init__(self, sql: str) -> None:
        self.sql = sql
        self.upper = upper_ascii(sql)
        self.facts = TableFacts()
        self.item: _Item | None = None
        self.expect: tuple[str, str | None] | None = None  # keyword awaiting its (group)

    def run(self, start: int = 0) -> None:
        """Lex from `start`: 0, or just inside the table's parentheses at an item's start."""
        depth = 1 if start else 0
        group_open = -1
        item_start = start if start else -1
        for match in TABLE_LEX.finditer(self.upper, start):
            token = match.group(5)
            if token is None:  # `CONSTRAINT name KIND [(]` in one token
                if depth == 1:
                    if self.item is None:
                        self.item = _Item(item_start, match.start(1))
                    self.item.pending = None
                    name = self.sql[match.start(2) : match.end(2)]
                    self._dispatch(self.item, match.group(3), name, match.start(3), match.end(3))
                if match.start(4) < 0:
                    continue
                token = "("
            if token == "(":
                depth += 1
                if depth == 1:
                    item_start = match.end()
                elif depth == 2:
                    group_open = match.end() - 1
            elif token == ")":
                depth -= 1
                if depth == 1 and self.expect:
                    self._group(group_open, match.end())
                elif depth == 0:
                    break
            elif token == ",":
                if depth == 1:
                    if self.item:
                        self._end_item(self.item)
                    item_start = match.end()
            elif not token:
                break
            elif depth == 1:
                if self.item is None:
                    self.item = _Item(item_start, match.start(5))
                self._keyword(self.item, token, match.start(5), match.end())
        if self.item:
            self._end_item(self.item)

    def plain_constraints(self, start: int) -> bool:
        """Read the rest of the table at `start` if it is nothing but table constraints
        spelled the common way (`_PLAIN_CONSTRAINT`), with nothing quoted and no comment.

        A table usually ends with its named constraints: read this way they cost one
        regex match each instead of the lexer's tokens. The facts are exactly those the
        lexer finds; any other text, and nothing is recorded (returns False).
        """
        upper = self.upper
        tail = upper[start:]
        if "'" in tail or '"' in tail or "`" in tail or "[" in tail or "--" in tail or "/*" in tail:
            return False
        matches = []
        pos = start
        while True:
            match = _PLAIN_CONSTRAINT.match(upper, pos)
            if match is None:
                return False
            matches.append(match)
            if match.start("end") >= 0:
                break
            pos = match.end()
        sql, facts = self.sql, self.facts
        for match in matches:
            name = sql[match.start("name") : match.end("name")]
            if match.start("pk") >= 0:
                facts.primary_key_name = name
            elif match.start("uq") >= 0:
                facts.uniques.append((column_list(sql, match.start("uq")), name))
            elif match.start("ck") >= 0:
                text = sql[match.start("ck") + 1 : match.end("ck") - 1].strip()
                facts.checks.append(CheckFacts(text, name, None))
            else:
                ref = sql[match.start("ref") : match.end("ref")]
                facts.foreign_keys.append(ForeignKeyFacts(column_list(sql, match.start("fk")), ref, name))
        return True

    def _column(self, item: _Item) -> str | None:
        """The item's column name, None for a table constraint."""
        if not item.column_known:
            item.column_known = True
            if self.upper[item.start : item.first_keyword].strip():  # something precedes
                found = name_at(self.sql, item.start)
                if found and found[0].upper() not in TABLE_CONSTRAINTS:
                    item.column = dequote(found[0])
        return item.column

    def _end_item(self, item: _Item) -> None:
        self.item = self.expect = None  # a keyword left waiting for its group (bad SQL) ends here
        if item.collation or item.generated or item.autoincrement:
            column = self._column(item)
            if column:
                facts = ColumnFacts(item.collation, item.generated, item.autoincrement)
                self.facts.columns[column] = facts

    def _keyword(self, item: _Item, word: str, start: int, end: int) -> None:
        if word == "CONSTRAINT":
            item.pending = self._constraint_name(end)
            return
        name = None
        if item.pending:
            name = item.pending[0] if item.pending[1] == word else None
            item.pending = None
        self._dispatch(item, word, name, start, end)

    def _dispatch(self, item: _Item, word: str, name: str | None, start: int, end: int) -> None:
        """A keyword other than CONSTRAINT, with the constraint name given to it, if any."""
        if word in NEEDS_GROUP or (word == "UNIQUE" and self._column(item) is None):
            self.expect = (word, name)
        else:
            self._bare_keyword(item, word, name, start, end)

    def _constraint_name(self, end: int) -> tuple[str, str] | None:
        """`CONSTRAINT name` names only the constraint that directly follows the name."""
        match = NAME_THEN_WORD.match(self.sql, end)
        if match is None:
            return None
        return dequote(match.group(1)), self.upper[match.start(2) : match.end(2)]

    def _bare_keyword(self, item: _Item, word: str, name: str | None, start: int, end: int) -> None:
        """Keywords that need no parenthesised group after them."""
        if word == "PRIMARY":
            if name is not None:
                self.facts.primary_key_name = name
        elif word == "REFERENCES":
            item.references = end
            name = name if name is not None else item.fk_name
            if name is not None:  # an unnamed FK has no facts unless DEFERRABLE follows
                self._add_fk(item, name)
        elif word == "UNIQUE":
            self.facts.uniques.append(((self._column(item) or "",), name))
        elif word == "DEFERRABLE" and item.references >= 0:
            if not NOT_BEFORE.search(self.upper, max(0, start - 40), start):
                self._defer_fk(item, end)
        elif word == "COLLATE":
            found = name_at(self.sql, end)
            item.collation = dequote(found[0]) if found else None
        elif word == "AUTOINCREMENT":
            item.autoincrement = True

    def _group(self, open_pos: int, close_end: int) -> None:
        """The parenthesised group after CHECK, AS, FOREIGN KEY or a table UNIQUE."""
        assert self.expect is not None and self.item is not None
        (word, name), self.expect = self.expect, None
        if word == "CHECK":
            text = self.sql[open_pos + 1 : close_end - 1].strip()
            self.facts.checks.append(CheckFacts(text, name, self._column(self.item)))
        elif word == "AS":
            self.item.generated = self.sql[open_pos + 1 : close_end - 1].strip()
        elif word == "UNIQUE":
            self.facts.uniques.append((column_list(self.sql, open_pos), name))
        elif word == "FOREIGN":
            self.item.fk_columns, self.item.fk_name = column_list(self.sql, open_pos), name

    def _add_fk(self, item: _Item, name: str | None) -> None:
        found = name_at(self.sql, item.references)
        column = self._column(item)
        columns = item.fk_columns if item.fk_columns is not None else (column,) if column else ()
        if found:
            self.facts.foreign_keys.append(ForeignKeyFacts(columns, dequote(found[0]), name))
            item.fk_added = True

    def _defer_fk(self, item: _Item, end: int) -> None:
        """`DEFERRABLE INITIALLY DEFERRED` is the only spelling that defers an SQLite FK."""
        if not item.fk_added:
            self._add_fk(item, None)
        if not item.fk_added:
            return
        first = name_at(self.upper, end)
        second = name_at(self.upper, first[1]) if first else None
        deferred = bool(first and second and (first[0], second[0]) == ("INITIALLY", "DEFERRED"))
        last = self.facts.foreign_keys[-1]
        self.facts.foreign_keys[-1] = ForeignKeyFacts(last.columns, last.ref_table, last.name, True, deferred)


# An item of a parenthesised list: (start, end, depth-1 keywords as (word, start, end)).
def scan_create_index(sql: str) -> IndexFacts:
    """Read an index's elements (text as written, explicit COLLATE) and partial WHERE."""
    upper = upper_ascii(sql)
    items, after = list_items(upper)
    elements = tuple(_index_element(sql, item) for item in items)
    where = None
    for match in INDEX_LEX.finditer(upper, after):
        if match.group(1) == "WHERE":
            where = sql[match.end() :].strip().rstrip(";").strip() or None
            break
    return IndexFacts(elements, where)


def _index_element(sql: str, item: ListItem) -> IndexElementFacts:
    """Strip a trailing `COLLATE name` and `ASC`/`DESC` from one indexed element."""
    start, end, keywords = item
    collation = None
    for word, word_start, word_end in reversed(keywords):
        if word in ("ASC", "DESC") and end == item[1] and not sql[word_end:end].strip():
            end = word_start
            continue
        found = name_at(sql, word_end) if word == "COLLATE" else None
        if found and not sql[found[1] : end].strip():
            collation, end = dequote(found[0]), word_start
        break
    return IndexElementFacts(sql[start:end].strip(), collation)
