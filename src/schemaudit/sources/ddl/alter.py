"""Statements that change tables after CREATE TABLE: ALTER TABLE and COMMENT ON, through
sqlglot's parser (CREATE INDEX, read from tokens, is `create_index`'s).
"""

from __future__ import annotations

from dataclasses import replace

from sqlglot import exp
from sqlglot.tokenizer_core import TokenType

from schemaudit.model import IndexElement, mysql_table_charset
from schemaudit.sources.ddl.catalog import Catalog, TableDraft
from schemaudit.sources.ddl.keys import add_constraint
from schemaudit.sources.ddl.names import DefinitionError, Name, ident_name, in_schema, resolve_type, table_name
from schemaudit.sources.ddl.table import add_column
from schemaudit.sources.ddl.tokens import Span, Tokens, stored_name

T = TokenType
PUNCTUATION = frozenset(
    {T.L_PAREN, T.R_PAREN, T.COMMA, T.DOT, T.SEMICOLON, T.L_BRACKET, T.R_BRACKET, T.STRING, T.NUMBER, T.EQ}
)
_ADD_WORDS = frozenset({"ADD", "COLUMN", "IF", "NOT", "EXISTS"})


def read_name(tokens: Tokens, i: int, catalog: Catalog) -> tuple[Name, int]:
    """A possibly qualified name starting at token `i`, and the index after it."""
    parts: list[str] = []
    while i < len(tokens) and tokens.tokens[i].token_type not in PUNCTUATION:
        tok = tokens.tokens[i]
        parts.append(stored_name(tok.text, tok.token_type == T.IDENTIFIER, catalog.rules))
        i += 1
        if i < len(tokens) and tokens.tokens[i].token_type == T.DOT:
            i += 1
            continue
        break
    if not parts:
        raise DefinitionError("expected a name")
    return Name(parts[-2] if len(parts) > 1 else None, parts[-1]), i


def _draft(name: Name, catalog: Catalog) -> TableDraft | None:
    """The draft a statement changes; None when it belongs to another schema."""
    if not in_schema(name, catalog):
        return None
    draft = catalog.table(name.name)
    if draft is None:
        raise DefinitionError(f"table {name.name!r} is not defined earlier in the file")
    return draft


UNNAMED = "__schemaudit_unnamed__"


def parse_alter(text: str, catalog: Catalog) -> tuple[exp.Alter, Tokens]:
    """sqlglot's tree of an ALTER TABLE, and the tokens of the text it parsed.

    sqlglot rejects an unnamed `ADD CHECK (...)` (it knows only `ADD CONSTRAINT c CHECK`),
    so such an action is given a placeholder name first, which `add_constraint` drops."""
    tokens = Tokens(text, catalog.dialect)
    for j in range(len(tokens) - 1, 0, -1):
        if tokens.word(j) == "CHECK" and tokens.word(j - 1) == "ADD":
            at = tokens.tokens[j].start
            text = f"{text[:at]}CONSTRAINT {UNNAMED} {text[at:]}"
    if len(text) != len(tokens.text):
        tokens = Tokens(text, catalog.dialect)
    trees = tokens.parse()
    node = trees[0] if len(trees) == 1 else None
    if not isinstance(node, exp.Alter):
        raise DefinitionError("sqlglot cannot parse this ALTER TABLE")
    return node, tokens


def alter_table(node: exp.Alter, tokens: Tokens, catalog: Catalog) -> None:
    draft = _draft(table_name(node.this, catalog), catalog)
    if draft is not None:
        alter_draft(draft, node, tokens, catalog)


def alter_draft(
    draft: TableDraft, node: exp.Alter, tokens: Tokens, catalog: Catalog, spans: list[Span] | None = None
) -> None:
    """Apply an ALTER TABLE's options and actions to `draft`, whatever table it names (the
    spec source parses one ALTER per distinct definition and applies it to every table
    that has it, with its `action_spans` worked out once). Reads the tree and tokens only,
    never changes them."""
    charset = collation = None
    for option in node.args.get("options") or []:
        if isinstance(option, exp.EngineProperty):  # MySQL `ALTER TABLE t ENGINE=InnoDB`
            draft.options = replace(draft.options, engine=option.this.name)
        elif isinstance(option, exp.CharacterSetProperty):  # `ALTER TABLE t DEFAULT CHARSET=x`
            charset = option.this.name
        elif isinstance(option, exp.CollateProperty):
            collation = option.this.name
        elif isinstance(option, exp.SchemaCommentProperty):  # MySQL `ALTER TABLE t COMMENT 'x'`
            draft.comment = option.this.name or None
    if charset or collation:  # a new charset without a collation takes that charset's default
        charset, collation = mysql_table_charset(charset, collation)
        draft.options = replace(draft.options, charset=charset, collation=collation)
    actions = list(node.args.get("actions") or [])
    if spans is None:
        spans = action_spans(node, tokens, catalog)
    had, checks = len(draft.foreign_keys), len(draft.checks)
    for action, span in zip(actions, spans, strict=True):
        _action(draft, action, tokens, span, catalog)
    if node.args.get("not_valid"):  # PostgreSQL `ADD CONSTRAINT ... NOT VALID`: old rows unchecked
        draft.foreign_keys[had:] = [replace(fk, validated=False) for fk in draft.foreign_keys[had:]]
        draft.checks[checks:] = [replace(c, validated=False) for c in draft.checks[checks:]]


def action_spans(node: exp.Alter, tokens: Tokens, catalog: Catalog) -> list[Span]:
    """The tokens of each action of an ALTER TABLE (empty spans when they cannot be told)."""
    count = len(node.args.get("actions") or [])
    spans = tokens.split(_after_table_name(tokens, catalog), len(tokens))
    return spans if len(spans) == count else [Span(0, 0)] * count


def _after_table_name(tokens: Tokens, catalog: Catalog) -> int:
    i = 2  # ALTER TABLE
    while tokens.word(i) in ("IF", "EXISTS", "ONLY"):
        i += 1
    _, i = read_name(tokens, i, catalog)
    return i + 1 if i < len(tokens) and tokens.tokens[i].text == "*" else i


def _action(draft: TableDraft, action: exp.Expression, tokens: Tokens, span: Span, catalog: Catalog) -> None:
    rules = catalog.rules
    if isinstance(action, exp.ColumnDef):
        start = span.start
        while start < span.end and tokens.word(start) in _ADD_WORDS:
            start += 1
        add_column(draft, action, tokens, Span(start, span.end) if span.end else span, catalog)
        _place(draft, tokens, span, catalog)
    elif isinstance(action, exp.AddConstraint):
        for item in action.expressions:
            add_constraint(draft, item, tokens, span, catalog, None)
    elif isinstance(action, exp.AlterColumn):
        _alter_column(draft, action, tokens, span, catalog)
    elif isinstance(action, exp.Drop) and str(action.args.get("kind", "")).upper() == "COLUMN":
        for target in action.args.get("tables") or []:
            name = ident_name(target, catalog)
            draft.columns = [c for c in draft.columns if rules.column_key(c.name) != rules.column_key(name)]
    elif isinstance(action, exp.Drop) and str(action.args.get("kind", "")).upper() == "CONSTRAINT":
        for target in action.args.get("tables") or []:
            _drop_constraint(draft, ident_name(target, catalog), catalog)
    elif isinstance(action, exp.RenameColumn):
        rename_column(draft, ident_name(action.this, catalog), ident_name(action.args["to"], catalog), catalog)
    elif isinstance(action, exp.AlterRename):
        rename_table(draft, table_name(action.this, catalog).name, catalog)
    elif isinstance(action, exp.ModifyColumn):
        _modify_column(draft, action, tokens, span, catalog)
    else:
        raise DefinitionError(f"unsupported ALTER TABLE action {action.sql()[:60]!r}")


def _place(draft: TableDraft, tokens: Tokens, span: Span, catalog: Catalog) -> None:
    """MySQL `ADD COLUMN ... FIRST` / `AFTER other`: move the column just added."""
    if catalog.dialect != "mysql" or not span.end:
        return
    at = tokens.keyword_at(span, frozenset({"FIRST", "AFTER"}))
    if at < 0:
        return
    column = draft.columns.pop()
    position = 0
    if tokens.word(at) == "AFTER":
        anchor, _ = read_name(tokens, at + 1, catalog)
        position = draft.column_index(anchor.name, catalog.rules) + 1
        if position == 0:
            draft.columns.append(column)
            raise DefinitionError(f"table {draft.name!r} has no column {anchor.name!r}")
    draft.columns.insert(position, column)


def _alter_column(draft: TableDraft, action: exp.AlterColumn, tokens: Tokens, span: Span, catalog: Catalog) -> None:
    name = ident_name(action.this, catalog)
    if draft.column_index(name, catalog.rules) < 0:
        raise DefinitionError(f"table {draft.name!r} has no column {name!r}")
    if action.args.get("allow_null") is not None:
        draft.replace_column(name, catalog.rules, nullable=bool(action.args["allow_null"]))
    if action.args.get("drop"):
        draft.replace_column(name, catalog.rules, default=None)
    default = action.args.get("default")
    if default is not None:
        at = tokens.keyword_at(span, frozenset({"DEFAULT"})) if span.end else -1
        text = " ".join(tokens.slice(at + 1, span.end).split()) if at >= 0 else default.sql()
        draft.replace_column(name, catalog.rules, default=None if text.upper() == "NULL" else text)
    dtype = action.args.get("dtype")
    if dtype is not None:
        at = tokens.keyword_at(span, frozenset({"TYPE"})) if span.end else -1
        end = tokens.keyword_at(span, frozenset({"USING", "COLLATE"}), at + 1) if at >= 0 else -1
        raw = " ".join(tokens.slice(at + 1, span.end if end < 0 else end).split()) if at >= 0 else dtype.sql()
        draft.replace_column(name, catalog.rules, type=resolve_type(raw, catalog))


def _modify_column(draft: TableDraft, action: exp.ModifyColumn, tokens: Tokens, span: Span, catalog: Catalog) -> None:
    """MySQL MODIFY / CHANGE: the column is defined anew, in the same position."""
    definition = action.this
    if not isinstance(definition, exp.ColumnDef):
        raise DefinitionError("MODIFY without a column definition")
    old = action.args.get("rename_from")
    old_name = ident_name(old, catalog) if old is not None else ident_name(definition.this, catalog)
    position = draft.column_index(old_name, catalog.rules)
    if position < 0:
        raise DefinitionError(f"table {draft.name!r} has no column {old_name!r}")
    new_name = ident_name(definition.this, catalog)
    if old is not None:
        rename_column(draft, old_name, new_name, catalog)
    removed = draft.columns.pop(position)
    start = span.start
    name_token = -1
    for j in range(span.start, span.end):
        tok = tokens.tokens[j]
        if stored_name(tok.text, tok.token_type == T.IDENTIFIER, catalog.rules) == new_name:
            name_token = j  # CHANGE old new ...: the definition starts at the new name
    start = name_token if name_token >= 0 else start
    add_column(draft, definition, tokens, Span(start, span.end) if span.end else span, catalog)
    column = draft.columns.pop()
    draft.columns.insert(position, replace(column, origin=removed.origin or column.origin))


def _drop_constraint(draft: TableDraft, name: str, catalog: Catalog) -> None:
    key = catalog.rules.table_key
    if draft.primary_key is not None and draft.primary_key.name and key(draft.primary_key.name) == key(name):
        draft.primary_key = None
    draft.uniques = [u for u in draft.uniques if key(u.name or "") != key(name)]
    draft.foreign_keys = [f for f in draft.foreign_keys if key(f.name or "") != key(name)]
    draft.checks = [c for c in draft.checks if key(c.name or "") != key(name)]


def rename_column(draft: TableDraft, old: str, new: str, catalog: Catalog) -> None:
    """Rename a column everywhere the database would: keys, indexes, references to it."""
    ckey = catalog.rules.column_key
    if not draft.replace_column(old, catalog.rules, name=new):
        raise DefinitionError(f"table {draft.name!r} has no column {old!r}")

    def swap(columns: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(new if ckey(c) == ckey(old) else c for c in columns)

    if draft.primary_key is not None:
        draft.primary_key = replace(draft.primary_key, columns=swap(draft.primary_key.columns))
    draft.uniques = [replace(u, columns=swap(u.columns)) for u in draft.uniques]
    draft.foreign_keys = [replace(f, columns=swap(f.columns)) for f in draft.foreign_keys]
    draft.checks = [replace(c, column=new) if c.column and ckey(c.column) == ckey(old) else c for c in draft.checks]
    draft.indexes = [
        replace(i, elements=tuple(_renamed_element(e, old, new, catalog) for e in i.elements)) for i in draft.indexes
    ]
    tkey = catalog.rules.table_key
    for other in catalog.tables.values():
        other.foreign_keys = [
            replace(f, ref_columns=swap(f.ref_columns)) if tkey(f.ref_table) == tkey(draft.name) else f
            for f in other.foreign_keys
        ]


def _renamed_element(element: IndexElement, old: str, new: str, catalog: Catalog) -> IndexElement:
    ckey = catalog.rules.column_key
    if not element.is_expression and ckey(element.expr) == ckey(old):
        return replace(element, expr=new)
    return element


def rename_table(draft: TableDraft, new: str, catalog: Catalog) -> None:
    old = draft.name
    catalog.drop_table(old)
    draft.name = new
    catalog.add_table(draft)
    tkey = catalog.rules.table_key
    for other in catalog.tables.values():
        other.foreign_keys = [
            replace(f, ref_table=new) if tkey(f.ref_table) == tkey(old) else f for f in other.foreign_keys
        ]


def comment_on(node: exp.Comment, catalog: Catalog) -> None:
    kind = str(node.args.get("kind") or "").upper()
    if kind not in ("TABLE", "COLUMN"):
        return  # comments on other objects are not modelled
    value = node.expression
    text = value.name if isinstance(value, exp.Literal) and value.is_string else None
    target = node.this
    if kind == "TABLE":
        draft = _draft(table_name(target, catalog), catalog)
        if draft is not None:
            draft.comment = text or None
        return
    if not isinstance(target, exp.Column):
        raise DefinitionError("COMMENT ON COLUMN needs table.column")
    table = target.args.get("table")
    db = target.args.get("db")
    if not isinstance(table, exp.Identifier):
        raise DefinitionError("COMMENT ON COLUMN needs table.column")
    name = Name(ident_name(db, catalog) if isinstance(db, exp.Identifier) else None, ident_name(table, catalog))
    draft = _draft(name, catalog)
    if draft is not None and not draft.replace_column(
        ident_name(target.this, catalog), catalog.rules, comment=text or None
    ):
        raise DefinitionError(f"table {draft.name!r} has no column {target.name!r}")
