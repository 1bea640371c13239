"""CREATE TABLE (and the column and constraint clauses ALTER TABLE shares) into a draft.

sqlglot's tree says what each item of the table body is: a column, a named constraint, a
primary key, a MySQL KEY... The token spans of the same items give the text of types,
defaults and expressions exactly as written (`character varying(10)`, `now()`), which is
what the model keeps: a catalog's spelling for a live database, the author's for a file.
"""

from __future__ import annotations

from dataclasses import replace

from sqlglot import exp
from sqlglot.tokenizer_core import TokenType

from schemaudit.model import (
    CheckConstraint,
    Column,
    Generated,
    Identity,
    PrimaryKey,
    TableOptions,
    UniqueConstraint,
    mysql_table_charset,
)
from schemaudit.sources.ddl.catalog import Catalog, TableDraft
from schemaudit.sources.ddl.keys import (
    add_constraint,
    check_name,
    check_text,
    foreign_key,
    pk_name,
    unique_name,
)
from schemaudit.sources.ddl.names import (
    DefinitionError,
    generated_name,
    ident_name,
    in_schema,
    resolve_type,
    sqlglot_dialect,
    table_name,
)
from schemaudit.sources.ddl.tokens import Span, Tokens

T = TokenType
# Words that end a column's type and start one of its constraints.
_CLAUSE_WORDS = frozenset(
    {
        "CONSTRAINT", "NOT", "NULL", "DEFAULT", "PRIMARY", "UNIQUE", "CHECK", "REFERENCES",
        "GENERATED", "AS", "COLLATE", "AUTO_INCREMENT", "AUTOINCREMENT", "COMMENT", "ON",
        "IDENTITY", "CHARSET", "VISIBLE", "INVISIBLE", "KEY", "STORAGE", "COLUMN_FORMAT",
        "SRID", "COMPRESSION", "AFTER", "FIRST",
    }
)  # fmt: skip


_SERIALS = {
    exp.DataType.Type.SERIAL: "integer",
    exp.DataType.Type.BIGSERIAL: "bigint",
    exp.DataType.Type.SMALLSERIAL: "smallint",
}


def create_table(node: exp.Create, tokens: Tokens, catalog: Catalog) -> TableDraft | None:
    """A draft of the table a CREATE TABLE defines; None for a table of another schema."""
    body = node.this
    if not isinstance(body, exp.Schema):
        raise DefinitionError("CREATE TABLE without a column list (AS SELECT, PARTITION OF, LIKE) is not supported")
    name = table_name(body, catalog)
    if not in_schema(name, catalog):
        return None
    draft = TableDraft(name.name, origin=catalog.origin(tokens.line(0)))
    open_paren = tokens.find(frozenset({T.L_PAREN}))
    spans = tokens.items(open_paren) if open_paren >= 0 else []
    items = list(body.expressions)
    if len(spans) != len(items):  # sqlglot skips what it cannot place, such as an empty item
        raise DefinitionError("the table's column list has an empty or unreadable item")
    for item, span in zip(items, spans, strict=True):
        add_item(draft, item, tokens, span, catalog)
    draft.options = _options(node, catalog)
    draft.comment = _comment(node) or draft.comment
    return draft


def add_item(draft: TableDraft, item: exp.Expression, tokens: Tokens, span: Span, catalog: Catalog) -> None:
    """One element of a table body (or an ALTER TABLE ADD): a column or a constraint."""
    if isinstance(item, exp.ColumnDef):
        add_column(draft, item, tokens, span, catalog)
    else:
        add_constraint(draft, item, tokens, span, catalog, None)


def add_column(draft: TableDraft, node: exp.ColumnDef, tokens: Tokens, span: Span, catalog: Catalog) -> None:
    name = ident_name(node.this, catalog)
    if draft.column_index(name, catalog.rules) >= 0:
        raise DefinitionError(f"column {name!r} is defined twice in table {draft.name!r}")
    origin = catalog.origin(tokens.line(span.start)) if span.end > span.start else draft.origin
    kind = node.args.get("kind")
    raw = _raw_type(tokens, span) if span.end > span.start else (kind.sql(sqlglot_dialect(catalog)) if kind else "")
    identity: Identity | None = None
    if isinstance(kind, exp.DataType) and kind.this in _SERIALS and catalog.dialect == "postgresql":
        raw = _SERIALS[kind.this]
        identity = Identity("serial", generated_name(draft.name, name, "seq"))
    column = Column(name, resolve_type(raw, catalog), origin=origin)
    nullable = True
    for constraint in node.args.get("constraints") or []:
        column, nullable = _column_constraint(draft, column, nullable, constraint, tokens, span, catalog)
    if identity is not None or column.identity is not None:
        nullable = False
    column = Column(
        column.name,
        column.type,
        nullable,
        column.default,
        identity or column.identity,
        column.generated,
        column.comment,
        column.collation,
        column.on_update,
        column.origin,
    )
    draft.columns.append(column)


def _column_constraint(
    draft: TableDraft,
    column: Column,
    nullable: bool,
    node: exp.Expression,
    tokens: Tokens,
    span: Span,
    catalog: Catalog,
) -> tuple[Column, bool]:
    name = ident_name(node.this, catalog) if isinstance(node, exp.ColumnConstraint) and node.this else None
    kind = node.args.get("kind") if isinstance(node, exp.ColumnConstraint) else node
    origin = column.origin
    cols = (column.name,)
    if isinstance(kind, exp.NotNullColumnConstraint):
        return column, bool(kind.args.get("allow_null"))
    if isinstance(kind, exp.DefaultColumnConstraint):
        text = _clause_text(tokens, span, "DEFAULT") or kind.this.sql(sqlglot_dialect(catalog))
        return _with(column, default=None if text.upper() == "NULL" else text), nullable
    if isinstance(kind, exp.PrimaryKeyColumnConstraint):
        if draft.primary_key is not None:
            raise DefinitionError(f"table {draft.name!r} has two primary keys")
        draft.primary_key = PrimaryKey(cols, pk_name(name, draft, catalog), origin)
        return column, False
    if isinstance(kind, exp.UniqueColumnConstraint):
        draft.uniques.append(UniqueConstraint(cols, unique_name(name, cols, draft, catalog), origin))
        return column, nullable
    if isinstance(kind, exp.CheckColumnConstraint):
        text = check_text(tokens, span, sum(1 for c in draft.checks if c.column == column.name))
        text = text or kind.this.sql(sqlglot_dialect(catalog))
        draft.checks.append(CheckConstraint(text, name or check_name(draft, column.name, catalog), column.name, origin))
        return column, nullable
    if isinstance(kind, exp.Reference):
        if catalog.dialect != "mysql":  # MySQL parses a column-level REFERENCES and ignores it
            draft.foreign_keys.append(foreign_key(cols, kind, name, draft, catalog, origin))
        return column, nullable
    if isinstance(kind, exp.GeneratedAsIdentityColumnConstraint) and kind.args.get("expression") is not None:
        kind = exp.ComputedColumnConstraint(this=kind.args["expression"])  # GENERATED ALWAYS AS (expr)
    if isinstance(kind, exp.GeneratedAsIdentityColumnConstraint):
        start, step = kind.args.get("start"), kind.args.get("increment")
        identity = Identity(
            "always" if kind.this else "by default",
            generated_name(draft.name, column.name, "seq"),
            int(start.name) if start is not None else 1,
            int(step.name) if step is not None else 1,
        )
        return _with(column, identity=identity), False
    if isinstance(kind, exp.ComputedColumnConstraint):
        text, stored = _generated_text(tokens, span)
        return _with(column, generated=Generated(text or kind.this.sql(sqlglot_dialect(catalog)), stored)), nullable
    if isinstance(kind, exp.CollateColumnConstraint):
        return _with(column, collation=kind.this.name), nullable
    if isinstance(kind, exp.AutoIncrementColumnConstraint):
        kind_name = "auto_increment" if catalog.dialect == "mysql" else "autoincrement"
        return _with(column, identity=Identity(kind_name)), nullable
    if isinstance(kind, exp.CommentColumnConstraint):
        return _with(column, comment=kind.this.name or None), nullable
    if isinstance(kind, exp.OnUpdateColumnConstraint):
        return _with(
            column, on_update=_clause_text(tokens, span, "UPDATE") or kind.this.sql(sqlglot_dialect(catalog))
        ), nullable
    return column, nullable  # storage hints (CHARACTER SET, STORAGE, ...): not modelled


def _with(column: Column, **changes: object) -> Column:
    return replace(column, **changes)  # type: ignore[arg-type]


def _raw_type(tokens: Tokens, span: Span) -> str:
    """The type of a column definition as written: after the name, up to its first clause."""
    start = span.start + 1
    j = start
    depth = 0
    while j < span.end:
        kind = tokens.tokens[j].token_type
        word = tokens.word(j)
        if depth == 0 and word in _CLAUSE_WORDS and j > start:
            break
        if depth == 0 and word == "CHARACTER" and tokens.word(j + 1) == "SET":
            break
        if kind in (T.L_PAREN, T.L_BRACKET):
            depth += 1
        elif kind in (T.R_PAREN, T.R_BRACKET):
            depth -= 1
        j += 1
    return " ".join(tokens.slice(start, j).split())


def _clause_text(tokens: Tokens, span: Span, keyword: str) -> str | None:
    """The expression after `keyword` (DEFAULT, ON UPDATE) up to the next clause."""
    at = tokens.keyword_at(span, frozenset({keyword}))
    if at < 0 or at + 1 >= span.end:
        return None
    end = tokens.keyword_at(span, _CLAUSE_WORDS, at + 2)
    return " ".join(tokens.slice(at + 1, span.end if end < 0 else end).split()) or None


def _generated_text(tokens: Tokens, span: Span) -> tuple[str | None, bool]:
    """A generated column's expression, and whether it is STORED (PERSISTENT on MariaDB);
    unstated means virtual, the default everywhere that has both kinds."""
    at = tokens.keyword_at(span, frozenset({"AS"}))
    if at < 0 or at + 1 >= span.end or tokens.tokens[at + 1].token_type != T.L_PAREN:
        return None, False
    after = tokens.word(tokens.close_of(at + 1) + 1)
    return tokens.group_text(at + 1) or None, after in ("STORED", "PERSISTENT")


def _comment(node: exp.Create) -> str | None:
    """MySQL `CREATE TABLE ... COMMENT='text'`."""
    properties = node.args.get("properties")
    for prop in properties.expressions if isinstance(properties, exp.Properties) else []:
        if isinstance(prop, exp.SchemaCommentProperty):
            return prop.this.name or None
    return None


def _options(node: exp.Create, catalog: Catalog) -> TableOptions:
    engine = charset = collation = None
    partitioned = unlogged = False
    properties = node.args.get("properties")
    for prop in properties.expressions if isinstance(properties, exp.Properties) else []:
        if isinstance(prop, exp.EngineProperty):
            engine = prop.this.name
        elif isinstance(prop, exp.CharacterSetProperty):  # MySQL `[DEFAULT] CHARSET=utf8`
            charset = prop.this.name
        elif isinstance(prop, exp.CollateProperty):  # MySQL `[DEFAULT] COLLATE=utf8_bin`
            collation = prop.this.name
        elif isinstance(prop, exp.PartitionedByProperty):
            partitioned = True
        elif isinstance(prop, exp.UnloggedProperty):
            unlogged = True
    charset, collation = mysql_table_charset(charset, collation)
    return TableOptions(engine=engine, partitioned=partitioned, unlogged=unlogged, charset=charset, collation=collation)
