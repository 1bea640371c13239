"""CREATE INDEX, read from tokens rather than sqlglot's tree: sqlglot rejects forms every
dump uses (`ON ONLY parent`, MySQL prefix lengths in `CREATE INDEX`), and the elements are
wanted as written anyway.
"""

from __future__ import annotations

from sqlglot.tokenizer_core import TokenType

from schemaudit.model import Index, IndexElement
from schemaudit.sources.ddl.alter import PUNCTUATION, read_name
from schemaudit.sources.ddl.catalog import Catalog, TableDraft
from schemaudit.sources.ddl.keys import declared
from schemaudit.sources.ddl.names import DefinitionError, Name, in_schema
from schemaudit.sources.ddl.tokens import Span, Tokens, stored_name

T = TokenType


def create_index(tokens: Tokens, catalog: Catalog) -> None:
    """CREATE [UNIQUE|FULLTEXT|SPATIAL] INDEX [CONCURRENTLY] [IF NOT EXISTS] name
    ON [ONLY] table [USING m] (elements) [INCLUDE (...)] [WHERE ...], MySQL options too."""
    i = 1
    unique = False
    method: str | None = None
    if tokens.word(i) in ("UNIQUE", "FULLTEXT", "SPATIAL"):
        unique = tokens.word(i) == "UNIQUE"
        method = None if unique else tokens.word(i).lower()
        i += 1
    i += 1  # INDEX
    while tokens.word(i) in ("CONCURRENTLY", "IF", "NOT", "EXISTS"):
        i += 1
    name: Name | None = None
    if tokens.word(i) != "ON":
        name, i = read_name(tokens, i, catalog)
    if tokens.word(i) == "USING":  # MySQL: USING before ON
        method, i = _method(tokens.word(i + 1)), i + 2
    if tokens.word(i) != "ON":
        raise DefinitionError("expected ON table")
    i += 1
    if tokens.word(i) == "ONLY":
        i += 1
    table, i = read_name(tokens, i, catalog)
    if tokens.word(i) == "USING":
        method, i = _method(tokens.word(i + 1)), i + 2
    if i >= len(tokens) or tokens.tokens[i].token_type != T.L_PAREN:
        raise DefinitionError("expected the indexed columns in parentheses")
    elements = tuple(_index_element(tokens, span, catalog) for span in tokens.items(i))
    i = tokens.close_of(i) + 1
    include: tuple[str, ...] = ()
    where: str | None = None
    while i < len(tokens):
        word = tokens.word(i)
        if word == "INCLUDE" and i + 1 < len(tokens):
            include = tuple(_name_of(tokens, span, catalog) for span in tokens.items(i + 1))
            i = tokens.close_of(i + 1) + 1
        elif word == "WHERE":
            where = " ".join(tokens.slice(i + 1, len(tokens)).split())
            break
        elif word == "USING":
            method, i = _method(tokens.word(i + 1)), i + 2
        else:
            i += 1
    if not in_schema(table, catalog):
        return
    draft = catalog.table(table.name)
    if draft is None:
        if any(o.name == table.name and "view" in o.kind for o in catalog.objects):
            return  # an index on a materialized view: the view is listed as not audited
        raise DefinitionError(f"table {table.name!r} is not defined earlier in the file")
    index_name = name.name if name is not None else _default_index_name(draft, elements, catalog)
    origin = catalog.origin(tokens.line(0))
    comment, options = declared(tokens, Span(0, len(tokens)), catalog)
    if catalog.dialect == "mysql" and method not in ("fulltext", "spatial"):
        method = None  # `USING HASH` is a declared option, as in CREATE TABLE (InnoDB builds a B-tree)
    draft.indexes.append(Index(index_name, elements, unique, where, method, include, origin, comment, options))


def _method(word: str) -> str | None:
    """The access method as the live sources report it: None for the default B-tree."""
    return None if word.upper() == "BTREE" else word.lower()


def _default_index_name(draft: TableDraft, elements: tuple[IndexElement, ...], catalog: Catalog) -> str:
    """PostgreSQL: table_col_idx; MySQL: the first column; SQLite requires a name."""
    if catalog.dialect == "mysql":
        return elements[0].expr if elements else draft.name
    columns = "_".join(e.expr for e in elements if not e.is_expression) or "expr"
    return f"{draft.name}_{columns}_idx"[:63]


def _name_of(tokens: Tokens, span: Span, catalog: Catalog) -> str:
    tok = tokens.tokens[span.start]
    return stored_name(tok.text, tok.token_type == T.IDENTIFIER, catalog.rules)


def _index_element(tokens: Tokens, span: Span, catalog: Catalog) -> IndexElement:
    """`col`, `col DESC NULLS LAST`, `lower(col) text_pattern_ops`, `(a + b)`, MySQL `col(10)`."""
    end = span.end
    nulls: str | None = None
    descending = False
    if end - 2 >= span.start and tokens.word(end - 2) == "NULLS":
        nulls = tokens.word(end - 1)
        end -= 2
    if end - 1 > span.start and tokens.word(end - 1) in ("ASC", "DESC"):
        descending = tokens.word(end - 1) == "DESC"
        end -= 1
    collation: str | None = None
    class_start = class_end = end  # an operator class after `COLLATE name`
    at = tokens.keyword_at(Span(span.start, end), frozenset({"COLLATE"}))
    if at > span.start:
        j = at + 1  # `COLLATE "C"`, `COLLATE pg_catalog."C" text_pattern_ops`: the name is C
        while j + 2 < end and tokens.tokens[j + 1].token_type == T.DOT:
            j += 2
        collation = tokens.tokens[j].text if j < end else None
        class_start, end = j + 1, at
    if nulls is not None and (nulls == "FIRST") == descending:
        nulls = None  # the default for the direction
    first = tokens.tokens[span.start]
    is_name = first.token_type not in PUNCTUATION
    core_end = span.start + 1
    call = _qualified_call(tokens, span.start, end) if is_name else None
    if call is not None:
        core_end = tokens.close_of(call) + 1  # pg_dump's `public.lower(name)`
    elif span.start + 1 < end and tokens.tokens[span.start + 1].token_type == T.L_PAREN and is_name:
        close = tokens.close_of(span.start + 1)
        if (
            catalog.dialect == "mysql"
            and close == span.start + 3
            and tokens.tokens[span.start + 2].token_type == T.NUMBER
        ):
            name = stored_name(first.text, first.token_type == T.IDENTIFIER, catalog.rules)
            return IndexElement(name, descending=descending, length=int(tokens.tokens[span.start + 2].text))
        core_end = close + 1  # a function call: lower(email)
    elif first.token_type == T.L_PAREN:
        core_end = tokens.close_of(span.start) + 1  # (a + b)
    opclass = _opclass(tokens, class_start, class_end) if collation is not None else _opclass(tokens, core_end, end)
    if opclass is None and core_end < end:
        core_end = end  # `a + b` (SQLite allows expressions without parentheses)
    if core_end == span.start + 1 and is_name:
        name = stored_name(first.text, first.token_type == T.IDENTIFIER, catalog.rules)
        return IndexElement(name, False, descending, nulls, collation, opclass)
    text = tokens.slice(span.start, core_end).strip()
    if first.token_type == T.L_PAREN and tokens.close_of(span.start) == core_end - 1:
        text = tokens.group_text(span.start)
    return IndexElement(" ".join(text.split()), True, descending, nulls, collation, opclass)


def _qualified_call(tokens: Tokens, start: int, end: int) -> int | None:
    """The `(` of a schema-qualified function call starting at `start` (`public.f(x)`,
    `pg_catalog.lower(x)`), or None: an index element cannot be a qualified column, so a
    dotted name followed by parentheses is always a call."""
    j = start
    while (
        j + 2 < end and tokens.tokens[j + 1].token_type == T.DOT and tokens.tokens[j + 2].token_type not in PUNCTUATION
    ):
        j += 2
    if j > start and j + 1 < end and tokens.tokens[j + 1].token_type == T.L_PAREN:
        return j + 1
    return None


def _opclass(tokens: Tokens, start: int, end: int) -> str | None:
    """An operator class after an element (`text_pattern_ops`, `public.vector_cosine_ops`)."""
    if start >= end:
        return None
    j = start
    parts: list[str] = []
    while j < end and tokens.tokens[j].token_type not in PUNCTUATION:
        parts.append(tokens.tokens[j].text)
        j += 1
        if j < end and tokens.tokens[j].token_type == T.DOT:
            j += 1
            continue
        break
    if not parts:
        return None
    if j < end and tokens.tokens[j].token_type == T.L_PAREN:
        j = tokens.close_of(j) + 1  # opclass parameters
    return ".".join(parts) if j == end else None
