"""Canonical keys for SQL expressions (CHECKs, defaults, index expressions, partial-index WHERE).

Two catalogs print the same expression differently: PostgreSQL turns `x IN ('a','b')` into
`(x = ANY (ARRAY['a'::text, 'b'::text]))`, adds `::text` / `::character varying` casts and
parentheses everywhere, MySQL adds charset introducers (`_utf8mb4'a'`) and backticks, SQLite
keeps the text as written. We parse each side with its own dialect (sqlglot) and print the tree
in a canonical, dialect-free form, so equal meaning gives equal keys. Rules, all deliberate:

- parentheses are dropped (the tree already encodes precedence);
- casts to text types (`::text`, `::varchar`, `::text[]`) are dropped: PostgreSQL adds them
  to make operators resolve, they carry no meaning the other side could lack; casts *of
  literals* are dropped too (`(0)::numeric`, `'{}'::jsonb`): they only annotate a constant;
- `x = ANY (ARRAY[...])` is `x IN (...)`, `x <> ALL (ARRAY[...])` is `x NOT IN (...)`; IN
  lists compare as sets; `a BETWEEN l AND h` is `a >= l AND a <= h`; AND/OR chains compare as
  sets of operands; `x IS NOT NULL` in every printed form is `NOT (x IS NULL)`;
- identifiers compare case-insensitively and without quotes or table qualifiers (a CHECK
  naming `"Price"` and `price` differently is not a real-world distinction worth a finding);
- numbers compare by value (`1.0` = `1`); string literals exactly;
- JSON arrows compare by operand and key: `data->>'host'` = `(data ->> 'host'::text)`;
- on PostgreSQL, functions and types qualified with the default schemas (`public.lower(x)`,
  `x::public.mood`, `pg_catalog.lower(x)`) are the unqualified ones: `pg_dump` qualifies
  every name, the catalog read with the schema on the search path prints none.

Text sqlglot cannot parse falls back to whitespace-collapsed text without outer parentheses.
Keys are cached: a schema repeats the same few expressions many times.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from functools import lru_cache

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

SQLGLOT_DIALECT: dict[str, str] = {"postgresql": "postgres", "mysql": "mysql", "sqlite": "sqlite"}

_TEXT_TYPES = frozenset(
    {
        exp.DataType.Type.TEXT,
        exp.DataType.Type.VARCHAR,
        exp.DataType.Type.CHAR,
        exp.DataType.Type.NCHAR,
        exp.DataType.Type.NVARCHAR,
        exp.DataType.Type.BPCHAR,
        exp.DataType.Type.NAME,
    }
)
_CONSTANTS = (exp.Literal, exp.Boolean, exp.Null, exp.Neg, exp.Array, exp.BitString)
_SPACES = re.compile(r"\s+")


def parse(text: str, dialect: str) -> exp.Expression | None:
    """Parse one expression with the dialect's grammar; None when sqlglot cannot."""
    try:
        tree = sqlglot.parse_one(text, read=SQLGLOT_DIALECT.get(dialect, dialect or None))
    except (SqlglotError, ValueError, KeyError, TypeError, RecursionError):
        return None
    return tree if isinstance(tree, exp.Expression) else None


def fallback_key(text: str) -> str:
    """Canonical text for what the parser rejects: collapsed spaces, outer parens removed."""
    text = _SPACES.sub(" ", text.strip())
    while text.startswith("(") and text.endswith(")") and _balanced(text[1:-1]):
        text = text[1:-1].strip()
    return "raw:" + text.lower()


def _balanced(text: str) -> bool:
    depth = 0
    for ch in text:
        depth += 1 if ch == "(" else -1 if ch == ")" else 0
        if depth < 0:
            return False
    return depth == 0


def expression_key(text: str, dialect: str, renames: tuple[tuple[str, str], ...] = ()) -> str:
    """The canonical key of an expression. `renames` maps lower-case column names to the
    names they should be compared as (a current-side CHECK after a column rename)."""
    return _expression_key(text.strip(), dialect, renames)


@lru_cache(maxsize=16384)
def _expression_key(text: str, dialect: str, renames: tuple[tuple[str, str], ...]) -> str:
    tree = parse(text, dialect)
    if tree is None:
        return fallback_key(text)
    if dialect == "postgresql":
        tree = unqualified(tree)
    return canonical(tree, dict(renames))


DEFAULT_SCHEMAS = frozenset({"public", "pg_catalog"})


def unqualified(tree: exp.Expression) -> exp.Expression:
    """The tree with functions and type names of the default schemas unqualified; a known
    function comes back as its typed node (`public.lower(x)` parses as an anonymous call)."""

    def fix(node: exp.Expression) -> exp.Expression:
        call = node.expression if isinstance(node, exp.Dot) else None
        if isinstance(call, exp.Func) and _default_schema(node.this):
            typed = parse(call.sql(dialect="postgres"), "postgresql")
            return node if typed is None else typed
        kind = node.args.get("kind") if isinstance(node, exp.DataType) else None
        if isinstance(kind, exp.Dot) and _default_schema(kind.this):
            node = node.copy()
            node.set("kind", kind.expression)
        return node

    return tree.transform(fix)


def _default_schema(node: exp.Expression) -> bool:
    return isinstance(node, exp.Identifier) and node.name.lower() in DEFAULT_SCHEMAS


def unwrap(node: exp.Expression) -> exp.Expression:
    """Strip what carries no meaning at the top of a node: parens, introducers, casts of
    constants and casts to text types."""
    while True:
        if isinstance(node, exp.Paren):
            node = node.this
        elif isinstance(node, exp.Introducer):
            node = node.expression
        elif isinstance(node, exp.Cast) and _strippable_cast(node):
            node = node.this
        else:
            return node


def _strippable_cast(node: exp.Cast) -> bool:
    to = node.args.get("to")
    if isinstance(to, exp.DataType):
        kind = to.this
        if kind in _TEXT_TYPES:
            return True
        if kind == exp.DataType.Type.ARRAY and all(
            isinstance(e, exp.DataType) and e.this in _TEXT_TYPES for e in to.expressions
        ):
            return True
    inner = node.this
    while isinstance(inner, exp.Paren):
        inner = inner.this
    return isinstance(inner, _CONSTANTS)


_ARITHMETIC = (exp.Add, exp.Sub, exp.Mul, exp.Div, exp.Mod)


def _without_implicit_numeric_cast(node: exp.Expression) -> exp.Expression:
    """`(length)::numeric / 60.0`, as PostgreSQL prints `length / 60.0`: an integer meeting a
    numeric constant is cast to numeric by the server itself, and the cast it then writes out
    says nothing the expression did not (Pagila's `film.length_hours`). Only a bare `numeric`
    beside a decimal constant: a cast with a precision, or to another type, means something.
    (A float column cast to numeric by hand would compare equal to the uncast one: the text
    alone cannot tell the column's type.)"""
    if not isinstance(node, _ARITHMETIC):
        return node
    left, right = unwrap(node.this), unwrap(node.expression)
    for cast, other, arg in ((left, right, "this"), (right, left, "expression")):
        if isinstance(cast, exp.Cast) and _bare_numeric(cast) and _decimal_constant(other):
            copy = node.copy()
            copy.set(arg, cast.this.copy())
            return copy
    return node


def _bare_numeric(cast: exp.Cast) -> bool:
    to = cast.args.get("to")
    return isinstance(to, exp.DataType) and to.this == exp.DataType.Type.DECIMAL and not to.expressions


def _decimal_constant(node: exp.Expression) -> bool:
    return isinstance(node, exp.Literal) and not node.is_string and any(c in node.this for c in ".eE")


def number_text(value: str) -> str | None:
    """`1.50` -> `1.5`, `100` -> `100`; None when the text is not a number."""
    try:
        number = Decimal(value.strip())
    except (InvalidOperation, ValueError):
        return None
    if not number.is_finite():
        return None
    text = format(number.normalize(), "f")
    return "0" if text in ("-0", "0") else text


def literal_key(node: exp.Literal) -> str:
    text = str(node.this)
    if node.is_string:
        return "'" + text.replace("'", "''") + "'"
    return number_text(text) or text


def canonical(node: exp.Expression, renames: Mapping[str, str] | None = None) -> str:
    return _Canon(renames or {}).dump(node)


class _Canon:
    """Prints a sqlglot tree as `key(arg=...,...)` with the normalizations of the module doc."""

    __slots__ = ("renames",)

    def __init__(self, renames: Mapping[str, str]) -> None:
        self.renames = renames

    def dump(self, node: exp.Expression) -> str:
        node = unwrap(node)
        if node.args.get("negate"):
            positive = node.copy()
            positive.set("negate", False)
            return f"not({self.dump(positive)})"
        special = self._special(node)
        if special is not None:
            return special
        if isinstance(node, (exp.And, exp.Or)):
            operands = sorted(self.dump(n) for n in _flatten(node, type(node)))
            return f"{node.key}({','.join(operands)})"
        node = _without_implicit_numeric_cast(node)
        items = []
        for name, value in sorted(node.args.items()):
            if name.startswith("_") or value is None or value is False or value == []:
                continue
            items.append((name, self._arg(value)))
        return _fmt(node.key, items)

    def _special(self, node: exp.Expression) -> str | None:
        if isinstance(node, exp.Literal):
            return literal_key(node)
        if isinstance(node, exp.Neg) and isinstance(unwrap(node.this), exp.Literal):
            inner = unwrap(node.this)
            assert isinstance(inner, exp.Literal)
            if not inner.is_string:
                return number_text("-" + inner.this) or "-" + inner.this
        if isinstance(node, exp.Column):
            name = node.name.lower()
            return "col:" + self.renames.get(name, name)
        if isinstance(node, exp.Identifier):
            return "id:" + node.name.lower()
        if isinstance(node, exp.Not):
            return f"not({self.dump(node.this)})"
        if isinstance(node, exp.Boolean):
            return "TRUE" if node.this else "FALSE"
        if isinstance(node, exp.Null):
            return "NULL"
        if isinstance(node, exp.Anonymous):
            args = [self.dump(a) for a in node.expressions]
            return f"fn:{str(node.this).lower()}({','.join(args)})"
        if isinstance(node, exp.DataType):
            return "type:" + node.sql().lower()
        if isinstance(node, exp.In) and not node.args.get("query") and not node.args.get("unnest"):
            return self._in(node.this, node.expressions)
        if isinstance(node, (exp.EQ, exp.NEQ)):
            items = _array_items(node.expression, exp.Any if isinstance(node, exp.EQ) else "ALL")
            if items is not None:
                inside = self._in(node.this, items)
                return inside if isinstance(node, exp.EQ) else f"not({inside})"
        if isinstance(node, (exp.JSONExtract, exp.JSONExtractScalar)):
            return self._json_arrow(node)
        if isinstance(node, exp.Between):
            this, low, high = self.dump(node.this), self.dump(node.args["low"]), self.dump(node.args["high"])
            parts = sorted(
                [
                    _fmt("gte", [("expression", low), ("this", this)]),
                    _fmt("lte", [("expression", high), ("this", this)]),
                ]
            )
            return f"and({','.join(parts)})"
        return None

    def _json_arrow(self, node: exp.JSONExtract | exp.JSONExtractScalar) -> str:
        """`data->>'host'` as written and `(data ->> 'host'::text)` as PostgreSQL prints it:
        sqlglot reads the first as a JSON path and the second as a cast literal; both are
        one key (or one array position) taken from the value."""
        path = node.expression
        key: str | None = None
        if isinstance(path, exp.JSONPath):
            parts = [p for p in path.expressions if not isinstance(p, exp.JSONPathRoot)]
            if len(parts) == 1 and isinstance(parts[0], exp.JSONPathKey):
                key = "'" + str(parts[0].this).replace("'", "''") + "'"
            elif len(parts) == 1 and isinstance(parts[0], exp.JSONPathSubscript):
                key = number_text(str(parts[0].this)) or str(parts[0].this)
        if key is None:
            key = self.dump(path)
        kind = "json_text" if isinstance(node, exp.JSONExtractScalar) else "json"
        return f"{kind}({self.dump(node.this)};{key})"

    def _in(self, this: exp.Expression, items: list[exp.Expression]) -> str:
        values = sorted(set(self.dump(i) for i in items))
        return f"in({self.dump(this)};{','.join(values)})"

    def _arg(self, value: object) -> str:
        if isinstance(value, exp.Expression):
            return self.dump(value)
        if isinstance(value, list):
            return "[" + ",".join(self._arg(v) for v in value) + "]"
        if isinstance(value, exp.DataType.Type):
            return value.value.lower()
        return str(value).lower()


def _fmt(key: str, items: list[tuple[str, str]]) -> str:
    return key + "(" + ",".join(f"{k}={v}" for k, v in items) + ")"


def _flatten(node: exp.Expression, kind: type[exp.Expression]) -> list[exp.Expression]:
    """Operands of a chain of the same connective, through parentheses."""
    out: list[exp.Expression] = []
    stack = [node]
    while stack:
        cur = unwrap(stack.pop())
        if isinstance(cur, kind):
            stack.extend((cur.expression, cur.this))
        else:
            out.append(cur)
    return out


def _array_items(node: exp.Expression, quantifier: type[exp.Expression] | str) -> list[exp.Expression] | None:
    """The elements of `ANY (ARRAY[...])` / `ALL (ARRAY[...])`, or None if it is not that."""
    node = unwrap(node)
    if isinstance(quantifier, str):
        if not (isinstance(node, exp.Anonymous) and str(node.this).upper() == quantifier and node.expressions):
            return None
        inner = unwrap(node.expressions[0])
    else:
        if not isinstance(node, quantifier):
            return None
        inner = unwrap(node.this)
    if isinstance(inner, exp.Array):
        return list(inner.expressions)
    return None
