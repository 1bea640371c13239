"""Keys and constraints of a table: PRIMARY KEY, FOREIGN KEY, UNIQUE, CHECK, MySQL KEYs.

Written at table level in CREATE TABLE or added by ALTER TABLE ADD CONSTRAINT, named the
way the database names them when the DDL does not (PostgreSQL `t_col_key`, `t_pkey`;
MySQL `t_ibfk_1`, keys after their first column), so a file and the live database built
from it compare equal, names included.
"""

from __future__ import annotations

from sqlglot import exp
from sqlglot.tokenizer_core import TokenType

from schemaudit.model import CheckConstraint, ForeignKey, Index, IndexElement, PrimaryKey, UniqueConstraint
from schemaudit.sources.ddl.catalog import Catalog, TableDraft
from schemaudit.sources.ddl.names import (
    DefinitionError,
    generated_name,
    ident_name,
    in_schema,
    sqlglot_dialect,
    table_name,
)
from schemaudit.sources.ddl.tokens import Span, Tokens

T = TokenType


_ACTIONS = ("NO ACTION", "RESTRICT", "CASCADE", "SET NULL", "SET DEFAULT")


def add_constraint(
    draft: TableDraft,
    node: exp.Expression,
    tokens: Tokens,
    span: Span,
    catalog: Catalog,
    name: str | None,
) -> None:
    """A table-level constraint or MySQL index (`CONSTRAINT n ...`, `PRIMARY KEY (...)`, ...)."""
    origin = catalog.origin(tokens.line(span.start)) if span.end > span.start else draft.origin
    if isinstance(node, exp.Constraint):
        inner_name: str | None = ident_name(node.this, catalog)
        if inner_name == "__schemaudit_unnamed__":  # see ddl_alter.parse_alter
            inner_name = None
        for inner in node.expressions:
            add_constraint(draft, inner, tokens, span, catalog, inner_name)
        return
    if isinstance(node, (exp.PrimaryKey, exp.PrimaryKeyColumnConstraint)):
        if draft.primary_key is not None:
            raise DefinitionError(f"table {draft.name!r} has two primary keys")
        comment, options = declared(tokens, span, catalog)
        columns = column_names(node.expressions, catalog)
        draft.primary_key = PrimaryKey(columns, pk_name(name, draft, catalog), origin, comment, options)
    elif isinstance(node, exp.ForeignKey):
        reference = node.args.get("reference")
        if not isinstance(reference, exp.Reference):
            raise DefinitionError("FOREIGN KEY without REFERENCES")
        columns = column_names(node.expressions, catalog)
        draft.foreign_keys.append(foreign_key(columns, reference, name, draft, catalog, origin))
    elif isinstance(node, exp.UniqueColumnConstraint):
        _unique(draft, node, name, catalog, origin, declared(tokens, span, catalog))
    elif isinstance(node, exp.CheckColumnConstraint):
        text = check_text(tokens, span, 0) or node.this.sql(sqlglot_dialect(catalog))
        column = _single_column(node.this, draft, catalog)
        draft.checks.append(CheckConstraint(text, name or check_name(draft, column, catalog), column, origin))
    elif isinstance(node, exp.IndexColumnConstraint):
        _mysql_key(draft, node, catalog, origin, declared(tokens, span, catalog))
    elif isinstance(node, exp.ExcludeColumnConstraint):
        catalog.add_object("exclusion constraint", name or generated_name(draft.name, "", "excl"), draft.name)
    else:
        raise DefinitionError(f"unsupported table element {node.sql(sqlglot_dialect(catalog))[:60]!r}")


def _unique(
    draft: TableDraft,
    node: exp.UniqueColumnConstraint,
    name: str | None,
    catalog: Catalog,
    origin: object,
    said: tuple[str | None, tuple[str, ...]],
) -> None:
    target = node.this
    if isinstance(target, exp.Schema):
        if target.this is not None and name is None:
            name = ident_name(target.this, catalog)  # MySQL `UNIQUE KEY name (cols)`
        parts = list(target.expressions)
    else:
        parts = [target] if target is not None else []
    comment, options = said
    if catalog.dialect == "mysql" and (comment or options or any(isinstance(p, exp.ColumnPrefix) for p in parts)):
        elements = tuple(_element(p, catalog) for p in parts)
        index_name = name or elements[0].expr
        index = Index(index_name, elements, True, origin=origin, comment=comment, options=options)  # type: ignore[arg-type]
        draft.indexes.append(index)
        return
    columns = column_names(parts, catalog)
    draft.uniques.append(UniqueConstraint(columns, unique_name(name, columns, draft, catalog), origin))  # type: ignore[arg-type]


def _mysql_key(
    draft: TableDraft,
    node: exp.IndexColumnConstraint,
    catalog: Catalog,
    origin: object,
    said: tuple[str | None, tuple[str, ...]],
) -> None:
    elements = tuple(_element(p, catalog) for p in node.expressions)
    kind = str(node.args.get("kind") or "").upper()
    name = ident_name(node.this, catalog) if node.this is not None else free_mysql_name(draft, elements[0].expr)
    method = kind.lower() if kind in ("FULLTEXT", "SPATIAL") else None
    comment, options = said
    index = Index(name, elements, kind == "UNIQUE", None, method, origin=origin, comment=comment, options=options)  # type: ignore[arg-type]
    draft.indexes.append(index)


def declared(tokens: Tokens, span: Span, catalog: Catalog) -> tuple[str | None, tuple[str, ...]]:
    """A MySQL key's comment and options as written (`USING BTREE`, `KEY_BLOCK_SIZE=8`,
    `COMMENT 'text'`), before or after its column list."""
    if catalog.dialect != "mysql":
        return None, ()
    comment: str | None = None
    using = block = ""
    j = span.start
    while j < span.end:
        if tokens.tokens[j].token_type == T.L_PAREN:
            j = tokens.close_of(j) + 1
            continue
        word, following = tokens.word(j), tokens.tokens[j + 1] if j + 1 < span.end else None
        if word == "USING" and following is not None:
            using = f"USING {tokens.word(j + 1)}"
        elif word == "KEY_BLOCK_SIZE" and following is not None:
            size = tokens.tokens[j + 2] if following.token_type == T.EQ and j + 2 < span.end else following
            block = f"KEY_BLOCK_SIZE={size.text}"
        elif word == "COMMENT" and following is not None:
            comment = following.text or None
        j += 1
    return comment, tuple(o for o in (using, block) if o)


def free_mysql_name(draft: TableDraft, base: str) -> str:
    """MySQL names an unnamed key after its first column, adding _2, _3 on a clash."""
    taken = {i.name.lower() for i in draft.indexes} | {(u.name or "").lower() for u in draft.uniques}
    name, n = base, 2
    while name.lower() in taken:
        name, n = f"{base}_{n}", n + 1
    return name


def _element(node: exp.Expression, catalog: Catalog) -> IndexElement:
    if isinstance(node, exp.ColumnPrefix):
        return IndexElement(ident_name(node.this, catalog), length=int(node.expression.name))
    if isinstance(node, exp.Ordered):
        inner = _element(node.this, catalog)
        return IndexElement(inner.expr, inner.is_expression, bool(node.args.get("desc")), length=inner.length)
    if isinstance(node, (exp.Column, exp.Identifier)):
        return IndexElement(ident_name(node, catalog))
    return IndexElement(node.sql(sqlglot_dialect(catalog)), is_expression=True)


def foreign_key(
    columns: tuple[str, ...],
    reference: exp.Reference,
    name: str | None,
    draft: TableDraft,
    catalog: Catalog,
    origin: object,
) -> ForeignKey:
    target = reference.this
    ref = table_name(target, catalog)
    ref_columns = column_names(target.expressions, catalog) if isinstance(target, exp.Schema) else ()
    if not ref_columns:
        parent = draft if catalog.rules.table_key(ref.name) == catalog.rules.table_key(draft.name) else None
        parent = parent or catalog.table(ref.name)
        if parent is not None and parent.primary_key is not None:
            ref_columns = parent.primary_key.columns
    options = [" ".join(str(o).upper().split()) for o in reference.args.get("options") or []]
    on_delete = _action(options, "ON DELETE ")
    on_update = _action(options, "ON UPDATE ")
    deferrable = "DEFERRABLE" in options or any(o.startswith("DEFERRABLE ") for o in options)
    deferred = any("INITIALLY DEFERRED" in o for o in options)
    ref_schema = ref.schema if ref.schema is not None and not in_schema(ref, catalog) else None
    if name is None and catalog.dialect == "postgresql":
        name = generated_name(draft.name, "_".join(columns), "fkey")
    elif name is None and catalog.dialect == "mysql":
        name = f"{draft.name}_ibfk_{len(draft.foreign_keys) + 1}"
    return ForeignKey(
        columns,
        ref.name,
        ref_columns,
        name,
        on_delete,
        on_update,
        ref_schema,
        deferrable,
        deferred,
        origin,  # type: ignore[arg-type]
    )


def _action(options: list[str], prefix: str) -> str:
    for option in options:
        if option.startswith(prefix):
            action = option[len(prefix) :].strip()
            if action in _ACTIONS:
                return action
    return "NO ACTION"


def column_names(parts: list[exp.Expression], catalog: Catalog) -> tuple[str, ...]:
    return tuple(ident_name(p, catalog) for p in parts)


def _single_column(expression: exp.Expression, draft: TableDraft, catalog: Catalog) -> str | None:
    """A check's column when it names exactly one column (what PostgreSQL reports)."""
    if catalog.dialect != "postgresql":
        return None
    names = {ident_name(c, catalog) for c in expression.find_all(exp.Column)}
    if len(names) != 1:
        return None
    (only,) = names
    return only if draft.column_index(only, catalog.rules) >= 0 else None


def pk_name(name: str | None, draft: TableDraft, catalog: Catalog) -> str | None:
    """MySQL's primary key is always PRIMARY (the convention stores None); PostgreSQL
    names an unnamed one table_pkey."""
    if catalog.dialect == "mysql":
        return None
    if name is None and catalog.dialect == "postgresql":
        return generated_name(draft.name, "", "pkey")
    return name


def unique_name(name: str | None, columns: tuple[str, ...], draft: TableDraft, catalog: Catalog) -> str | None:
    """The name the database gives a UNIQUE constraint written without one."""
    if name is not None:
        return name
    if catalog.dialect == "postgresql":
        return generated_name(draft.name, "_".join(columns), "key")
    if catalog.dialect == "mysql":
        return free_mysql_name(draft, columns[0])
    return None


def check_name(draft: TableDraft, column: str | None, catalog: Catalog) -> str | None:
    """PostgreSQL: table_column_check; MariaDB names a column's own CHECK after the column."""
    if catalog.dialect == "mysql":
        return column
    if catalog.dialect != "postgresql":
        return None
    return generated_name(draft.name, column or "", "check")


def check_text(tokens: Tokens, span: Span, skip: int) -> str | None:
    """The expression inside the (`skip`+1)-th CHECK ( ... ) of a span."""
    start = span.start
    for _ in range(skip + 1):
        at = tokens.keyword_at(span, frozenset({"CHECK"}), start)
        if at < 0:
            return None
        start = at + 1
    if start >= span.end or tokens.tokens[start].token_type != T.L_PAREN:
        return None
    return tokens.group_text(start) or None
