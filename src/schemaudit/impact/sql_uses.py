"""Whether a name found in SQL text is a use: an identifier of a statement, not a string
literal, a comment or a word of prose.

The text is split into tokens by sqlglot's tokenizer (the one its parser reads), so quoting,
comments and string literals follow SQL's rules, not a regex's. Both `.sql` files and the SQL
that Python code keeps in string literals come through here. What a use needs:

- the name is an identifier token (`users`, `"users"`, `` `users` ``, or a word the dialect
  also knows as a keyword, such as `name`), inside text that is SQL: it holds a statement
  keyword (SELECT, FROM, UPDATE, CREATE...), or it is nothing but a dotted name
  (`"users.id"` in `ForeignKey("users.id")`);
- a column qualified by a table (`runs.mode`, or an alias: `FROM runs r ... r.mode`) is a use
  only when that table is its own; unqualified, when its table is named in the same
  statement (statements end at `;`), or in what the caller says surrounds the text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlglot.errors import TokenError
from sqlglot.tokenizer_core import Token, TokenType
from sqlglot.tokens import Tokenizer

_NOT_NAMES = frozenset(
    t
    for t in (
        TokenType.STRING,
        TokenType.NATIONAL_STRING,
        TokenType.RAW_STRING,
        TokenType.BYTE_STRING,
        TokenType.HEX_STRING,
        TokenType.BIT_STRING,
        TokenType.HEREDOC_STRING,
        TokenType.UNICODE_STRING,
        TokenType.NUMBER,
    )
)
_TABLE_WORDS = frozenset({"IF", "NOT", "EXISTS", "ONLY"})
_NAMES = frozenset({TokenType.VAR, TokenType.IDENTIFIER})
_PATH = frozenset({TokenType.VAR, TokenType.IDENTIFIER, TokenType.DOT})
_STATEMENT_WORDS = frozenset(
    getattr(TokenType, word)
    for word in (
        "SELECT",
        "INSERT",
        "UPDATE",
        "DELETE",
        "CREATE",
        "ALTER",
        "DROP",
        "FROM",
        "JOIN",
        "INTO",
        "WHERE",
        "SET",
        "TABLE",
        "REFERENCES",
        "VALUES",
        "RETURNING",
        "INDEX",
        "ORDER_BY",
        "GROUP_BY",
        "PRAGMA",
        "TRUNCATE",
        "MERGE",
    )
    if hasattr(TokenType, word)
)


@dataclass(frozen=True, slots=True)
class SqlText:
    """Tokens of one SQL text; `statement[i]` is the statement number of token i."""

    tokens: tuple[Token, ...]
    statement: tuple[int, ...]

    @property
    def is_sql(self) -> bool:
        """A statement, or a bare dotted name such as `users.id`."""
        types = {t.token_type for t in self.tokens}
        return bool(types & _STATEMENT_WORDS) or (bool(types) and types <= _PATH)

    def name_at(self, pos: int, spelling: str) -> int | None:
        """The index of the identifier token that spells `spelling` at character `pos`."""
        for i, token in enumerate(self.tokens):
            if token.start > pos:
                return None
            if token.start <= pos <= token.end:
                if token.token_type in _NOT_NAMES or token.text.lower() != spelling.lower():
                    return None
                return i
        return None

    def qualifier(self, i: int, known: Iterable[str]) -> str | None:
        """The table (lower-cased) that qualifies token i: `runs.mode` -> runs, `r.mode`
        after `FROM runs r` -> runs; an alias nobody declared or a schema qualifier is None."""
        if i < 2 or self.tokens[i - 1].token_type != TokenType.DOT:
            return None
        word = self.tokens[i - 2].text.lower()
        if word in set(known):
            return word
        return self.aliases(self.statement[i]).get(word)

    def aliases(self, statement: int) -> dict[str, str]:
        """Alias -> table for `FROM runs r`, `JOIN runs AS r` in one statement (the table as
        written, lower-cased)."""
        found: dict[str, str] = {}
        tokens = [t for t, s in zip(self.tokens, self.statement, strict=True) if s == statement]
        for k in range(len(tokens) - 1):
            if tokens[k].token_type not in _NAMES or (k and tokens[k - 1].token_type == TokenType.DOT):
                continue
            after = tokens[k + 1]
            if after.token_type == TokenType.ALIAS and k + 2 < len(tokens):
                after = tokens[k + 2]
            if after.token_type in _NAMES and k + 2 <= len(tokens):
                found.setdefault(after.text.lower(), tokens[k].text.lower())
        return found

    def owner(self, i: int) -> str | None:
        """In DDL, the table whose column token i names (lower-cased): the one after
        `REFERENCES` for the columns in its parentheses, else the one `CREATE TABLE` or
        `ALTER TABLE` names. None outside DDL."""
        indices = [k for k, s in enumerate(self.statement) if s == self.statement[i]]
        tokens = self.tokens
        depth = 0
        for k in range(i - 1, indices[0] - 1, -1):
            kind = tokens[k].token_type
            if kind == TokenType.R_PAREN:
                depth += 1
            elif kind == TokenType.L_PAREN:
                if depth == 0 and k >= 2 and tokens[k - 2].token_type == TokenType.REFERENCES:
                    return tokens[k - 1].text.lower()
                depth = max(0, depth - 1)
        head = [tokens[k] for k in indices[:8]]
        if not head or head[0].token_type not in (TokenType.CREATE, TokenType.ALTER):
            return None
        kinds = [t.token_type for t in head]
        if TokenType.TABLE not in kinds:
            return None
        rest = head[kinds.index(TokenType.TABLE) + 1 :]
        while rest and rest[0].text.upper() in _TABLE_WORDS:  # IF NOT EXISTS, ONLY
            rest = rest[1:]
        name: str | None = None
        expect_name = True
        for t in rest:  # schema.table: the last name of the dotted path
            if expect_name and t.token_type in _NAMES:
                name, expect_name = t.text.lower(), False
            elif not expect_name and t.token_type == TokenType.DOT:
                expect_name = True
            else:
                break
        return name

    def tables(self, statement: int, spellings: Mapping[str, frozenset[str]], known: frozenset[str]) -> set[str]:
        """The tables (lower-cased) named by identifiers in one statement: a spelling the
        search knows, or any table of either schema."""
        out: set[str] = set()
        for token, s in zip(self.tokens, self.statement, strict=True):
            if s == statement and token.token_type in _NAMES:
                out |= spellings.get(token.text, frozenset())
                if token.text.lower() in known:
                    out.add(token.text.lower())
        return out


_TOKENIZER: Tokenizer | None = None


def read_sql(text: str) -> SqlText | None:
    """The tokens of `text`, or None when it is not tokenizable SQL (an unclosed quote).
    One tokenizer serves every call (it resets itself per text): building one copies the
    dialect's keyword tables, which cost more than tokenizing a short statement."""
    global _TOKENIZER
    if _TOKENIZER is None:
        _TOKENIZER = Tokenizer()
    try:
        tokens = _TOKENIZER.tokenize(text)
    except TokenError:
        return None
    numbers: list[int] = []
    current = 0
    for token in tokens:
        numbers.append(current)
        if token.token_type == TokenType.SEMICOLON:
            current += 1
    return SqlText(tuple(tokens), tuple(numbers))
