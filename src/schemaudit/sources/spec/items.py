"""What one item of a spec document says, turned into the SQL it stands for.

Spec documents write definitions in shorthand: ``1. `owner_user_id UUID NOT NULL FK ->
app_users.id` ``, ``unique `(owner_user_id, slug)` ``, ``- `runs(project_id, created_at
DESC)` ``, or pipe-table rows (| Column | Type | Notes |). Each is rewritten here into
ordinary DDL (`... REFERENCES app_users (id)`, `UNIQUE (owner_user_id, slug)`, `CREATE
INDEX ON runs (...)`), which the DDL readers then parse with sqlglot into the model: one
grammar for both kinds of source. The rewriting works on sqlglot tokens, so quoted text
and names are never mistaken for shorthand.

Shorthand understood in a column definition: `PK` (primary key), `FK -> t.c`, `FK → t.c`,
`FK t(c)`, `FK => t.c` (foreign key), and commas between clauses. Allowed values written
beside a definition (`` (`active|archived|deleted`) ``) are documentation of intent, kept
with the column's type (`SqlType.values`), never a CHECK: a list such as
`openai|removebg|...` describes, it does not constrain. A spec that wants a CHECK writes one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError
from sqlglot.tokenizer_core import Token, TokenType

from schemaudit.sources.ddl.tokens import quiet_sqlglot, tokenize
from schemaudit.sources.spec.markdown import Inline, Table

T = TokenType
_ARROWS = (("\u2192", "->"), ("\u27f6", "->"), ("\u21d2", "=>"))  # arrows people type for "references"
_CONSTRAINT_WORDS = ("UNIQUE", "CHECK", "PRIMARY", "FOREIGN", "CONSTRAINT", "EXCLUDE")
_LABEL = re.compile(r"^\s*(?:constraints?|indexes|index|unique\s+index|keys?)\s*:\s*", re.IGNORECASE)
_VALUES = re.compile(r"^\s*[^|\s][^|]*(?:\|[^|]*)+$")
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_$]*$")
_ACTIONS = ("CASCADE", "RESTRICT", "SET NULL", "SET DEFAULT", "NO ACTION")


@dataclass(frozen=True, slots=True)
class Definition:
    """What an item defines: "column", "constraint", "index", "table index" (an index of
    the table whose section it is in: `{table}` in `sql` stands for its name) or
    "statement" (SQL written out, such as CREATE INDEX)."""

    kind: str
    sql: str
    values: tuple[str, ...] = ()


def is_identifier(text: str) -> bool:
    return bool(_IDENT.match(text.strip()))


def _normalize(text: str) -> str:
    for old, new in _ARROWS:
        text = text.replace(old, new)
    return " ".join(text.split())


def _tokens(text: str) -> list[Token] | None:
    try:
        return tokenize(text, "postgresql")
    except ValueError:
        return None


def classify(inline: Inline) -> Definition | None:
    """The definition a list item or paragraph holds; None for prose."""
    lead, code, _ = inline.lead()
    lead_words = _LABEL.sub("", lead).strip().rstrip(":").strip().upper()
    if code is None:
        return _bare(inline.plain)
    code = _normalize(code)
    if lead_words == "UNIQUE" and not code.startswith("("):
        sql = index_sql(code, unique=True)  # UNIQUE `customers(lower(email))`: a unique index
        if sql is not None:
            return Definition("index", sql)
    if lead_words in ("UNIQUE", "CHECK", "PRIMARY KEY", "FOREIGN KEY"):
        return Definition("constraint", constraint_sql(f"{lead_words} {code}"))
    if lead_words in ("INDEX", "UNIQUE INDEX", "INDEX ON"):
        unique = lead_words.startswith("UNIQUE")
        if code.startswith("("):  # `index (a, b)` under a table's heading: that table's index
            return Definition("table index", f"CREATE {'UNIQUE ' if unique else ''}INDEX ON {{table}} {code}")
        sql = index_sql(code, unique=unique)
        return Definition("index", sql) if sql else None
    if lead_words:
        return None  # prose that merely quotes something
    upper = code.upper()
    if upper.startswith(("CREATE ", "ALTER ")):
        return Definition("statement", code)
    if upper.split(" ", 1)[0].split("(", 1)[0] in _CONSTRAINT_WORDS:
        return Definition("constraint", constraint_sql(code))
    sql = index_sql(code)
    if sql is not None:
        return Definition("index", sql)
    words = code.split()
    if len(words) >= 2 and is_identifier(words[0]):
        return Definition("column", column_sql(code), allowed_values(inline.after_first_code()))
    return None


def _bare(text: str) -> Definition | None:
    """An item without code spans: only constraints and index entries are recognized."""
    text = _normalize(_LABEL.sub("", text))
    head = text.split(" — ")[0].split(" -- ")[0].strip()
    upper = head.upper()
    if upper.split(" ", 1)[0].split("(", 1)[0] in _CONSTRAINT_WORDS and "(" in head:
        return Definition("constraint", constraint_sql(head))
    sql = index_sql(head)
    return Definition("index", sql) if sql else None


def parses_as_column(sql: str) -> bool:
    """Whether a column definition is one sqlglot reads as a column with a type."""
    with quiet_sqlglot():
        try:
            node = sqlglot.parse_one(f"CREATE TABLE t ({sql})", read="postgres")
        except (SqlglotError, ValueError):
            return False
    body = node.this if isinstance(node, exp.Create) else None
    if not isinstance(body, exp.Schema) or len(body.expressions) != 1:
        return False
    column = body.expressions[0]
    return isinstance(column, exp.ColumnDef) and column.args.get("kind") is not None


def allowed_values(inline: Inline) -> tuple[str, ...]:
    """`a|b|c` in a code span after a definition: the values the column is meant to hold
    (an open list `a|b|...` keeps only the named values)."""
    for code in inline.codes:
        if _VALUES.match(code):
            values = tuple(v.strip() for v in code.split("|"))
            return tuple(v for v in values if v and v not in ("...", "…"))
    return ()


def column_sql(text: str) -> str:
    """A column definition in SQL: shorthand rewritten, clause commas dropped."""
    text = _normalize(text)
    tokens = _tokens(text)
    if tokens is None:
        return text
    out: list[str] = []
    joined = False  # the next token follows the last one kept with no space in the source
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        word = tok.text.upper() if tok.token_type not in (T.STRING, T.IDENTIFIER) else ""
        if i > 0 and word == "PK":
            out.append("PRIMARY KEY")
        elif i > 0 and word == "FK":
            reference, i = _reference(text, tokens, i + 1)
            out.append(reference)
            joined = False
            continue
        elif tok.token_type == T.COMMA and _depth(tokens, i) == 0:
            joined = False
            i += 1
            continue
        elif joined and out:
            out[-1] += _source(text, tok)  # `NUMERIC(12,4)` stays as written, not `NUMERIC ( 12 , 4 )`
        else:
            out.append(_source(text, tok))
        joined = i + 1 < len(tokens) and tokens[i + 1].start == tok.end + 1
        i += 1
    return " ".join(out)


def _source(text: str, tok: Token) -> str:
    return text[tok.start : tok.end + 1]


def _depth(tokens: list[Token], i: int) -> int:
    depth = 0
    for tok in tokens[:i]:
        depth += tok.token_type == T.L_PAREN
        depth -= tok.token_type == T.R_PAREN
    return depth


def _reference(text: str, tokens: list[Token], i: int) -> tuple[str, int]:
    """`FK -> t.c` / `FK t(c)` / `FK: t.c` -> `REFERENCES t (c)`, and the index after it."""
    while i < len(tokens) and tokens[i].token_type in (T.ARROW, T.FARROW, T.COLON, T.GT, T.DASH, T.EQ):
        i += 1
    parts: list[str] = []
    while i < len(tokens) and tokens[i].token_type not in (T.L_PAREN, T.COMMA) and _is_name(tokens[i]):
        parts.append(_source(text, tokens[i]))
        i += 1
        if i < len(tokens) and tokens[i].token_type == T.DOT:
            i += 1
            continue
        break
    if not parts:
        return "REFERENCES", i  # sqlglot will say what is missing
    if i < len(tokens) and tokens[i].token_type == T.L_PAREN:
        close = i
        while close < len(tokens) and tokens[close].token_type != T.R_PAREN:
            close += 1
        group = text[tokens[i].start : tokens[min(close, len(tokens) - 1)].end + 1]
        return f"REFERENCES {'.'.join(parts)} {group}", close + 1
    if len(parts) == 1:
        return f"REFERENCES {parts[0]}", i
    return f"REFERENCES {'.'.join(parts[:-1])} ({parts[-1]})", i


def _is_name(tok: Token) -> bool:
    return tok.token_type in (T.VAR, T.IDENTIFIER) or (tok.text[:1].isalpha() and tok.token_type not in (T.ON,))


def constraint_sql(text: str) -> str:
    """`UNIQUE (a, b)`, `unique (a,b)`, `CHECK weight >= 0` -> a table constraint in SQL."""
    text = _normalize(text)
    upper = text.upper()
    if upper.startswith("CHECK") and not text[5:].lstrip().startswith("("):
        return f"CHECK ({text[5:].strip()})"
    if upper.startswith("UNIQUE") and not text[6:].lstrip().startswith("("):
        rest = text[6:].strip()
        return f"UNIQUE ({rest})" if rest and "(" not in rest else text
    return text


def index_sql(text: str, unique: bool = False) -> str | None:
    """`runs(project_id, created_at DESC)` (optionally `UNIQUE`, `INDEX name ON`) as a
    CREATE INDEX statement; None when the text is not of that shape."""
    text = _normalize(text)
    tokens = _tokens(text)
    if not tokens:
        return None
    i = 0
    words = [t.text.upper() for t in tokens]
    if words[0] == "UNIQUE":
        unique, i = True, 1
    name = ""
    if i < len(tokens) and words[i] == "INDEX":
        i += 1
        on = words.index("ON", i) if "ON" in words[i:] else -1
        if on > i:
            name = text[tokens[i].start : tokens[on - 1].end + 1] + " "
        i = on + 1 if on >= 0 else i
    start = i
    while i < len(tokens) and _is_name(tokens[i]):
        i += 1
        if i < len(tokens) and tokens[i].token_type == T.DOT:
            i += 1
            continue
        break
    if i == start or i >= len(tokens) or tokens[i].token_type != T.L_PAREN:
        return None
    depth = 0
    close = -1
    for j in range(i, len(tokens)):
        depth += tokens[j].token_type == T.L_PAREN
        depth -= tokens[j].token_type == T.R_PAREN
        if depth == 0:
            close = j
            break
    if close < 0 or (close + 1 < len(tokens) and words[close + 1] != "WHERE"):
        return None
    table = text[tokens[start].start : tokens[i - 1].end + 1]
    rest = text[tokens[i].start :]
    return f"CREATE {'UNIQUE ' if unique else ''}INDEX {name}ON {table} {rest}"


# --- pipe tables ------------------------------------------------------------------------

_HEADERS = {
    "name": ("column", "name", "field", "column name", "attribute"),
    "type": ("type", "data type", "datatype", "sql type"),
    "nullable": ("nullable", "null", "null?", "nullable?", "required", "not null"),
    "default": ("default", "default value"),
    "notes": ("notes", "note", "constraints", "constraint", "description", "comment", "remarks", "keys"),
}
_YES = frozenset({"yes", "y", "true", "✓", "✔", "x", "null", "nullable"})
_NO = frozenset({"no", "n", "false", "✗", "✘", "not null", "required"})
_NO_DEFAULT = frozenset({"", "-", "\u2014", "\u2013", "none", "n/a"})  # dash, em dash, en dash


def column_headers(table: Table) -> dict[str, int] | None:
    """Which cell holds what, when the table lists columns (a name and a type header)."""
    found: dict[str, int] = {}
    for i, cell in enumerate(table.header):
        text = " ".join(cell.plain.lower().split()).strip("* ")
        for role, names in _HEADERS.items():
            if text in names and role not in found:
                found[role] = i
                break
    return found if "name" in found and "type" in found else None


@dataclass(frozen=True, slots=True)
class Row:
    line: int
    name: str
    sql: str | None  # None: the name cell is not a column name
    values: tuple[str, ...]


def table_rows(table: Table, headers: dict[str, int]) -> list[Row]:
    rows = []
    for row in table.rows:

        def cell(role: str, cells: tuple[Inline, ...] = row.cells) -> Inline:
            index = headers.get(role)
            return cells[index] if index is not None and index < len(cells) else Inline(())

        name = cell("name").plain.strip().strip("`*").strip()
        if not is_identifier(name):
            rows.append(Row(row.line, name, None, ()))
            continue
        parts = [name, _normalize(cell("type").plain)]
        nullable = cell("nullable").plain.strip().lower()
        required_header = "nullable" in headers and _header_text(table, headers["nullable"]) in ("required", "not null")
        says_null = nullable in _YES if not required_header else nullable in _NO
        says_not_null = nullable in _NO if not required_header else nullable in _YES
        if says_null:
            parts.append("NULL")
        elif says_not_null:
            parts.append("NOT NULL")
        default = cell("default").plain.strip().strip("`")
        if default.lower() not in _NO_DEFAULT:
            parts.append(f"DEFAULT {default}")
        notes = cell("notes")
        parts.extend(_note_clauses(notes.plain))
        rows.append(Row(row.line, name, column_sql(" ".join(parts)), allowed_values(notes)))
    return rows


def _header_text(table: Table, index: int) -> str:
    return " ".join(table.header[index].plain.lower().split()).strip("* ")


def _note_clauses(text: str) -> list[str]:
    """Key facts stated in a notes cell: PK, UNIQUE, NOT NULL, FK -> t.c, ON DELETE ..."""
    text = _normalize(text)
    upper = f" {text.upper()} "
    clauses: list[str] = []
    if " PK " in upper.replace(",", " ") or "PRIMARY KEY" in upper:
        clauses.append("PRIMARY KEY")
    if re.search(r"\bUNIQUE\b", upper):
        clauses.append("UNIQUE")
    if "NOT NULL" in upper:
        clauses.append("NOT NULL")
    match = re.search(r"(?:\bFK\b\s*(?:->|=>|:)?|\bREFERENCES\b|->)\s*([A-Za-z_][\w.]*(?:\s*\([^)]*\))?)", text, re.I)
    if match:
        clauses.append(column_sql(f"x y FK {match.group(1)}").split(" ", 2)[2])
        action = re.search(r"\bON DELETE (CASCADE|RESTRICT|SET NULL|SET DEFAULT|NO ACTION)\b", upper)
        if action:
            clauses.append(f"ON DELETE {action.group(1)}")
    return clauses
