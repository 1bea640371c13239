"""One statement of a PostgreSQL or MySQL DDL file applied to the catalog being built.

Statements are classified by their first words. Those that define what the model holds go
to their readers (sqlglot's parser for CREATE TABLE, ALTER TABLE and COMMENT ON; tokens for
the rest); those that cannot change it (data, grants, session settings, ownership) are
skipped; objects outside the model (views, functions, triggers, ...) are listed as not
audited. Anything else is a problem reported with its line: a statement we do not
understand might change a table, so it is never silently passed over.
"""

from __future__ import annotations

from dataclasses import replace

from sqlglot import exp
from sqlglot.errors import SqlglotError
from sqlglot.tokenizer_core import TokenType

from schemaudit.model import TableOptions
from schemaudit.sources.ddl import objects, partitions
from schemaudit.sources.ddl.alter import alter_table, comment_on, parse_alter, read_name, rename_table
from schemaudit.sources.ddl.catalog import Catalog, Problem, TableDraft
from schemaudit.sources.ddl.create_index import create_index
from schemaudit.sources.ddl.names import DefinitionError, in_schema
from schemaudit.sources.ddl.split import Statement
from schemaudit.sources.ddl.table import create_table
from schemaudit.sources.ddl.tokens import Tokens

T = TokenType

# First words of statements that cannot change the tables, keys, indexes or comments.
# COMMENT ON kinds whose objects `text_objects` reads from the file
_OBJECT_COMMENTS = frozenset({"FUNCTION", "PROCEDURE", "TRIGGER", "SEQUENCE", "TYPE", "EXTENSION"})
_SKIP = frozenset(
    {
        "SET", "SELECT", "INSERT", "UPDATE", "DELETE", "REPLACE", "COPY", "GRANT", "REVOKE",
        "BEGIN", "COMMIT", "START", "ROLLBACK", "END", "SAVEPOINT", "RELEASE", "LOCK", "UNLOCK",
        "ANALYZE", "VACUUM", "CLUSTER", "REINDEX", "CHECKPOINT", "DISCARD", "RESET", "SHOW",
        "EXPLAIN", "NOTIFY", "LISTEN", "PREPARE", "EXECUTE", "DEALLOCATE", "DO", "CALL",
        "SECURITY", "REFRESH", "TRUNCATE", "FLUSH", "OPTIMIZE", "\\", "WITH", "VALUES",
    }
)  # fmt: skip
# CREATE <kind> of objects neither modelled nor listed by the live sources.
_SKIP_CREATE = frozenset(
    {
        "SCHEMA", "DATABASE", "ROLE", "USER", "GROUP", "CAST", "TEXT",
        "CONVERSION", "LANGUAGE", "PUBLICATION", "SUBSCRIPTION", "SERVER", "STATISTICS",
        "TABLESPACE", "ACCESS", "TRANSFORM", "TEMP", "TEMPORARY",
    }
)  # fmt: skip
_CREATE_MODIFIERS = frozenset({"OR", "REPLACE", "GLOBAL", "LOCAL", "UNLOGGED", "RECURSIVE", "DEFINER", "ALGORITHM"})
_NOT_AUDITED = {
    "VIEW": "view",
    "MATERIALIZED": "materialized view",
    "FUNCTION": "function",
    "PROCEDURE": "procedure",
    "AGGREGATE": "aggregate",
    "TRIGGER": "trigger",
    "CONSTRAINT": "trigger",  # CREATE CONSTRAINT TRIGGER
    "POLICY": "policy",
    "RULE": "rule",
    "EXTENSION": "extension",
    "FOREIGN": "foreign table",
    "EVENT": "event",
}


def apply(statement: Statement, catalog: Catalog) -> None:
    """Apply one statement; a problem is recorded (with its line) instead of raised."""
    catalog.base_line = statement.line
    try:
        _apply(statement, catalog)
    except (DefinitionError, ValueError, SqlglotError) as exc:
        first = " ".join(statement.text.split())
        catalog.problems.append(Problem(statement.line, first[:80], _reason(exc)))


def _reason(exc: Exception) -> str:
    text = " ".join(str(exc).split())
    return text.split(". Line ")[0] if text else type(exc).__name__


def _apply(statement: Statement, catalog: Catalog) -> None:
    words = statement.head(6)
    first = words[0] if words else ""
    if first == "USE" and len(words) > 1:
        catalog.current = words[1].strip("`")
        if catalog.schema is None:
            catalog.schema = catalog.current
        return
    if first == "SET" and len(words) > 1 and words[1] == "SEARCH_PATH":
        _search_path(statement, catalog)
        return
    if first in _SKIP or first.startswith("\\"):
        return
    if first == "CREATE":
        _create(statement, catalog)
    elif first == "ALTER":
        _alter(words, statement, catalog)
    elif first == "COMMENT":
        if len(words) > 2 and words[2] in _OBJECT_COMMENTS:
            catalog.texts.comments.append(statement.text)
        if len(words) > 2 and words[2] in ("TABLE", "COLUMN"):  # comments on other objects: not modelled
            node = _parse(Tokens(statement.text, catalog.dialect))
            if not isinstance(node, exp.Comment):
                raise DefinitionError("cannot parse this COMMENT ON")
            comment_on(node, catalog)
    elif first == "DROP" and len(words) > 1:
        if words[1] in ("TABLE", "INDEX", "VIEW", "MATERIALIZED", "SEQUENCE"):
            objects.drop_statement(words, Tokens(statement.text, catalog.dialect), catalog)
        elif words[1] in ("FUNCTION", "PROCEDURE", "TRIGGER", "EXTENSION"):  # in order with the CREATEs
            catalog.texts.created.append(("drop", words[1].lower(), None, statement.text))
    elif first == "RENAME" and len(words) > 1 and words[1] == "TABLE":
        tokens = Tokens(statement.text, catalog.dialect)
        old, i = read_name(tokens, 2, catalog)
        new, _ = read_name(tokens, i + 1, catalog)
        draft = catalog.table(old.name)
        if draft is None:
            raise DefinitionError(f"table {old.name!r} is not defined earlier in the file")
        rename_table(draft, new.name, catalog)
    else:
        raise DefinitionError("unsupported statement")


def _search_path(statement: Statement, catalog: Catalog) -> None:
    """`SET search_path TO a, b`: unqualified names now go to schema `a`."""
    tokens = Tokens(statement.text, catalog.dialect)
    i = 2
    while i < len(tokens) and (tokens.word(i) == "TO" or tokens.tokens[i].text == "="):
        i += 1
    if i >= len(tokens):
        return
    tok = tokens.tokens[i]
    first = tok.text.split(",")[0].strip() if tok.token_type.name == "STRING" else read_name(tokens, i, catalog)[0].name
    catalog.current = first or catalog.schema


def _object_word(tokens: Tokens) -> tuple[str, int]:
    """The kind of object a CREATE statement makes, and its token index."""
    i = 1
    while i < len(tokens):
        word = tokens.word(i)
        if word in _CREATE_MODIFIERS:
            i += 1
            if i < len(tokens) and tokens.tokens[i].text == "=":  # MySQL DEFINER=..., ALGORITHM=...
                i += 2
                while i < len(tokens) and tokens.tokens[i].text.startswith("@"):
                    i += 1
            continue
        if word == "SQL":  # MySQL SQL SECURITY {DEFINER | INVOKER}; one token or two
            i += 2 if " " in tokens.tokens[i].text else 3
            continue
        return word, i
    return "", i


def _create(statement: Statement, catalog: Catalog) -> None:
    tokens = Tokens(statement.text, catalog.dialect)
    word, at = _object_word(tokens)
    if word in ("UNIQUE", "FULLTEXT", "SPATIAL", "INDEX"):
        create_index(tokens, catalog)
    elif word == "TABLE":
        _create_table(statement, tokens, at, catalog)
    elif word == "SEQUENCE":
        objects.create_sequence(tokens, catalog)
    elif word == "TYPE":
        objects.create_type(tokens, catalog)
    elif word == "DOMAIN":
        objects.create_domain(tokens, catalog)
    elif word == "EVENT" and tokens.word(at + 1) == "TRIGGER":
        return
    elif word == "OPERATOR" and tokens.word(at + 1) in ("CLASS", "FAMILY"):
        objects.create_named(f"operator {tokens.word(at + 1).lower()}", tokens, at + 2, catalog)
    elif word == "OPERATOR":
        objects.create_operator(statement.text, catalog)
    elif word == "COLLATION":
        objects.create_named("collation", tokens, at + 1 + 3 * (tokens.word(at + 1) == "IF"), catalog)
    elif word == "TEXT" and tokens.word(at + 2) == "CONFIGURATION":
        objects.create_named("text search configuration", tokens, at + 3, catalog)
    elif word in _NOT_AUDITED:
        if word in ("MATERIALIZED", "FOREIGN", "CONSTRAINT"):
            at += 1  # MATERIALIZED VIEW, FOREIGN TABLE, CONSTRAINT TRIGGER
        objects.not_audited(_NOT_AUDITED[word], tokens, at, catalog)
    elif word in _SKIP_CREATE:
        return
    else:
        raise DefinitionError(f"unsupported statement CREATE {word}")


def _create_table(statement: Statement, tokens: Tokens, at: int, catalog: Catalog) -> None:
    i = at + 1
    while tokens.word(i) in ("IF", "NOT", "EXISTS"):
        i += 1
    name, i = read_name(tokens, i, catalog)
    if tokens.word(i) == "PARTITION" and tokens.word(i + 1) == "OF":  # PostgreSQL declarative partition
        parent, after = read_name(tokens, i + 2, catalog)
        bound = partitions.partition_of(tokens, after)
        if bound is None:
            raise DefinitionError("PARTITION OF without FOR VALUES ... or DEFAULT")
        if in_schema(name, catalog):
            if in_schema(parent, catalog) and catalog.table(parent.name) is None:  # as the server refuses it
                raise DefinitionError(f"table {parent.name!r} is not defined earlier in the file")
            part = TableDraft(name.name, catalog.origin(1), partition_of=parent.name, bound=bound[0])
            part.options = TableOptions(partitioned=bound[1] is not None, partitioning=bound[1])
            catalog.add_table(part)
        return
    virtual = _virtual_words(tokens)
    if virtual:  # PostgreSQL 18 `GENERATED ALWAYS AS (...) VIRTUAL`: the default kind, unknown to sqlglot
        text = list(statement.text)
        for j in virtual:
            tok = tokens.tokens[j]
            text[tok.start : tok.end + 1] = " " * (tok.end + 1 - tok.start)
        statement = Statement("".join(text), statement.line)
        tokens = Tokens(statement.text, catalog.dialect)
    partitioning = None
    cut = _partition_clause(tokens) if catalog.dialect == "mysql" else -1
    if cut >= 0:  # sqlglot reads few MySQL partitioning clauses: kept as text, parsed without it
        partitioning = tokens.slice(cut, len(tokens)).strip().rstrip(";").strip()
        statement = Statement(statement.text[: tokens.tokens[cut].start], statement.line)
        tokens = Tokens(statement.text, catalog.dialect)
    key = partitions.create_table_key(tokens) if catalog.dialect == "postgresql" else None
    if key is not None:  # the PostgreSQL key, kept as text; the rest (WITH, TABLESPACE) parsed
        partitioning, begin, end = key
        whole = statement.text
        cut_from = tokens.tokens[begin].start
        rest = whole[tokens.tokens[end - 1].end + 1 :]
        statement = Statement(whole[:cut_from] + " " * (len(whole) - cut_from - len(rest)) + rest, statement.line)
        tokens = Tokens(statement.text, catalog.dialect)
    node = _parse(tokens)
    if not isinstance(node, exp.Create):
        raise DefinitionError("cannot parse this CREATE TABLE")
    draft = create_table(node, tokens, catalog)
    if draft is not None and partitioning:
        draft.options = replace(draft.options, partitioned=True, partitioning=partitioning)
    if draft is not None:
        existing = catalog.table(draft.name)
        if existing is not None:
            if node.args.get("exists"):
                return  # CREATE TABLE IF NOT EXISTS on an existing table does nothing
            line = existing.origin.line if existing.origin else "?"
            raise DefinitionError(f"table {draft.name!r} already exists (created at line {line})")
        catalog.add_table(draft)


def _partition_clause(tokens: Tokens) -> int:
    """Where a MySQL `PARTITION BY ...` starts after the column list, or -1."""
    start = tokens.find(frozenset({T.L_PAREN}))
    if start < 0:
        return -1
    for j in range(tokens.close_of(start) + 1, len(tokens)):
        by = tokens.tokens[j].token_type == T.PARTITION_BY  # one token, `word` says PARTITION
        if by or (tokens.word(j) == "PARTITION" and tokens.word(j + 1) == "BY"):
            return j
    return -1


def _virtual_words(tokens: Tokens) -> list[int]:
    """Tokens `VIRTUAL` right after a generated column's `AS (...)` (PostgreSQL only: MySQL
    and SQLite spell it that way themselves)."""
    if tokens.dialect != "postgresql" or "VIRTUAL" not in tokens.words:
        return []
    found = []
    for j in range(2, len(tokens)):
        if tokens.word(j) == "VIRTUAL" and tokens.tokens[j - 1].token_type.name == "R_PAREN":
            opening = _opening_of(tokens, j - 1)
            if opening > 0 and tokens.word(opening - 1) == "AS":
                found.append(j)
    return found


def _opening_of(tokens: Tokens, close: int) -> int:
    depth = 0
    for j in range(close, -1, -1):
        name = tokens.tokens[j].token_type.name
        depth += name == "R_PAREN"
        depth -= name == "L_PAREN"
        if depth == 0:
            return j
    return -1


def _alter(words: tuple[str, ...], statement: Statement, catalog: Catalog) -> None:
    kind = words[1] if len(words) > 1 else ""
    if kind == "TABLE":
        tokens = Tokens(statement.text, catalog.dialect)
        i = 2
        while tokens.word(i) in ("IF", "EXISTS", "ONLY"):
            i += 1
        table, i = read_name(tokens, i, catalog)
        if i < len(tokens) and tokens.tokens[i].text == "*":
            i += 1
        if objects.alter_table_special(tokens, i, table, catalog):
            return
        node, tokens = parse_alter(statement.text, catalog)
        alter_table(node, tokens, catalog)
    elif kind == "SEQUENCE":
        objects.alter_sequence(Tokens(statement.text, catalog.dialect), catalog)
    elif kind == "TYPE" and "ADD" in words:
        _add_enum_value(Tokens(statement.text, catalog.dialect), catalog)
    elif kind == "INDEX" and "ATTACH" in words:  # pg_dump: a partition's index joins its table's
        tokens = Tokens(statement.text, catalog.dialect)
        at = tokens.words.index("ATTACH")
        if tokens.word(at + 1) == "PARTITION":
            catalog.attached_indexes.add(catalog.rules.table_key(read_name(tokens, at + 2, catalog)[0].name))
    elif kind in ("FUNCTION", "PROCEDURE", "TRIGGER", "EXTENSION", "TYPE"):
        catalog.texts.alters.append(("", statement.text))
    # other ALTERs (owner, function, domain, index attach, schema, default privileges, ...)
    # change nothing the model holds


def _add_enum_value(tokens: Tokens, catalog: Catalog) -> None:
    """ALTER TYPE e ADD VALUE [IF NOT EXISTS] 'x' [BEFORE | AFTER 'y']."""
    name, i = read_name(tokens, 2, catalog)
    key = catalog.rules.table_key(name.name)
    if key not in catalog.enums or tokens.word(i) != "ADD":
        return
    i += 2
    while tokens.word(i) in ("IF", "NOT", "EXISTS"):
        i += 1
    label = tokens.tokens[i].text
    labels = list(catalog.enums[key])
    if label in labels:
        return
    where = tokens.word(i + 1)
    anchor = tokens.tokens[i + 2].text if i + 2 < len(tokens) else None
    if where in ("BEFORE", "AFTER") and anchor in labels:
        labels.insert(labels.index(anchor) + (where == "AFTER"), label)
    else:
        labels.append(label)
    catalog.enums[key] = tuple(labels)


def _parse(tokens: Tokens) -> exp.Expression:
    """sqlglot's tree of a statement; an opaque fallback Command counts as unparseable."""
    trees = tokens.parse()
    node = trees[0] if len(trees) == 1 else None
    if not isinstance(node, exp.Expression) or isinstance(node, exp.Command):
        raise DefinitionError("sqlglot cannot parse it")
    return node
