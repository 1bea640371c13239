"""Source `spec:docs/TECH_SPEC.md#5`: the tables a markdown spec document describes.

Which part of the document: `#5`, `#5.3`, `#5,6` (heading numbers), `#database-design`
(a heading's anchor), several separated by commas; the whole document when none is given.
A table is a heading whose text is a table name (`### app_users`, ``### `app_users` ``,
`#### 3.6 style_guides`) with column definitions under it: list items of inline DDL
(``1. `owner_user_id UUID NOT NULL FK -> app_users.id` ``) or a pipe table with Column and
Type headers. Under the table, constraint items (``unique `(a, b)` ``, `UNIQUE(a, b)`,
`**Constraint:** CHECK (...)`) belong to it; index items (``runs(project_id, created_at
DESC)``, e.g. in a "Required Indexes" section) may be anywhere in the selected part, and
so may ```` ```sql ```` blocks of DDL. `items` turns each item into SQL; the DDL
readers parse that into the model, so every definition keeps its file:line.

Anything that looks like a definition but cannot be read is not dropped: it is listed as
an "unreadable definition" with its line (the report shows it), and the rest is audited.
A selection with no tables at all is an error.

The types are read as PostgreSQL by default, the dialect such documents are usually
written in (UUID, TIMESTAMPTZ, JSONB); `?dialect=sqlite` (or mysql) says otherwise.
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import parse_qsl

from sqlglot.errors import SqlglotError

from schemaudit.errors import SourceError
from schemaudit.gcpause import paused_gc
from schemaudit.model import Column, Origin, Schema, SchemaObject
from schemaudit.sources import LoadOptions
from schemaudit.sources.ddl import statements
from schemaudit.sources.ddl.alter import action_spans, alter_draft, parse_alter
from schemaudit.sources.ddl.catalog import Catalog, Problem, TableDraft
from schemaudit.sources.ddl.names import DefinitionError
from schemaudit.sources.ddl.source import DIALECTS, read_text
from schemaudit.sources.ddl.split import Statement, split_statements
from schemaudit.sources.spec.items import (
    Definition,
    classify,
    column_headers,
    is_identifier,
    parses_as_column,
    table_rows,
)
from schemaudit.sources.spec.markdown import Block, Fence, Heading, Inline, Item, Paragraph, Table, parse_blocks
from schemaudit.sources.spec.plain_columns import Parsed, is_plain

UNREADABLE = "unreadable definition"  # a not-audited object: the source is incomplete there

_NOTE_STARTS = "(:-\u2013\u2014"  # what may follow a table name in a heading: ( : - en dash, em dash
_PLACEHOLDER = "__schemaudit_spec_table__"  # the table of an ALTER parsed for any table
_SQL_FENCES = frozenset({"sql", "postgresql", "postgres", "psql", "pgsql", "mysql", "sqlite", "ddl"})


def load(spec: str, options: LoadOptions) -> Schema:
    path, fragment, params = parse_spec(spec)
    text = read_text(path, "spec document")
    given = params.get("dialect") or options.dialect or "postgresql"
    dialect = DIALECTS.get(given.lower())
    if dialect is None:
        raise SourceError(f"unknown dialect {given!r} for {path}; use one of postgresql, mysql, sqlite")
    schema = read_spec(text, path, fragment, dialect)
    # a row or item under a table's heading that cannot be read leaves that table incomplete
    unread = sorted(
        (o for o in schema.not_audited if o.kind == UNREADABLE and o.table),
        key=lambda o: int(o.name[len(path) + 1 :].split(":", 1)[0] or 0),
    )
    if unread and not options.lenient:
        more = f" (and {len(unread) - 1} more)" if len(unread) > 1 else ""
        raise SourceError(
            f"{unread[0].name}{more}: the spec is incomplete; fix it, or pass --lenient to audit the rest "
            "(a plan then drops nothing the unreadable lines could describe)"
        )
    return schema


def parse_spec(spec: str) -> tuple[str, str, dict[str, str]]:
    """`spec:path?dialect=x#5,6` -> (path, "5,6", {"dialect": "x"})."""
    body = spec[5:] if spec.lower().startswith("spec:") else spec
    body, _, fragment = body.partition("#")
    path, _, query = body.partition("?")
    if not path:
        raise SourceError(f"{spec!r} names no file; write spec:path/to/SPEC.md#section")
    return path, fragment.strip(), dict(parse_qsl(query, keep_blank_values=True))


def read_spec(text: str, path: str, fragment: str = "", dialect: str = "postgresql") -> Schema:
    """The schema a spec document (or the selected sections of it) describes.

    The cyclic garbage collector is paused meanwhile (as the catalog readers do): markdown
    tokens, sqlglot trees and the model are hundreds of thousands of objects at 1,000
    tables, and its repeated full passes over them took 40% of the time."""
    with paused_gc():
        blocks = select(parse_blocks(text), fragment, path)
        catalog = Catalog(path, dialect, "public" if dialect == "postgresql" else None)
        _Reader(catalog).read(blocks)
        origin = f"{path}#{fragment}" if fragment else path
        schema = catalog.finish(origin)
    if not schema.tables:
        where = f"section {fragment} of {path}" if fragment else path
        raise SourceError(
            f"no tables found in {where}: a table is a heading naming it (### users) followed by "
            "column definitions (list items like `id UUID PK`, or a | Column | Type | table)"
        )
    if catalog.problems:
        unread = tuple(
            SchemaObject(UNREADABLE, f"{path}:{p.line}: {p.statement} ({p.reason})", p.table) for p in catalog.problems
        )
        objects = sorted(schema.not_audited + unread, key=lambda o: (o.kind, o.name, o.table or ""))
        schema = replace(schema, not_audited=tuple(objects))
    return schema


# --- selection --------------------------------------------------------------------------


def select(blocks: list[Block], fragment: str, path: str) -> list[Block]:
    """The blocks of the sections a fragment names, in document order."""
    if not fragment:
        return blocks
    keep: set[int] = set()
    for wanted in (w.strip().lstrip("#§").strip() for w in fragment.split(",")):
        if not wanted:
            continue
        start = _find_section(blocks, wanted)
        if start < 0:
            raise SourceError(f"{path} has no section {wanted!r}; its sections: {_section_list(blocks)}")
        heading = blocks[start]
        assert isinstance(heading, Heading)
        end = next(
            (
                i
                for i in range(start + 1, len(blocks))
                if isinstance(b := blocks[i], Heading) and b.level <= heading.level
            ),
            len(blocks),
        )
        keep.update(range(start, end))
    return [blocks[i] for i in sorted(keep)]


def _find_section(blocks: list[Block], wanted: str) -> int:
    low = wanted.lower()
    for i, block in enumerate(blocks):
        if isinstance(block, Heading) and (block.number == wanted.rstrip(".") or low in block.slugs):
            return i
    return -1


def _section_list(blocks: list[Block]) -> str:
    names = [f"{b.number} ({b.slugs[-1]})" if b.number else b.slugs[0] for b in blocks if isinstance(b, Heading)]
    return ", ".join(names[:20]) + (", ..." if len(names) > 20 else "") if names else "(no headings)"


# --- reading ----------------------------------------------------------------------------


def table_name(heading: Heading) -> str | None:
    """The table a heading names: its first code span, or its text (number stripped),
    when that is a plain identifier; None for any other heading."""
    lead, code, _ = heading.inline.lead()
    if code is not None and is_identifier(code) and not _words(lead, heading.number):
        return code.strip()
    title = heading.title.strip()
    first = title.split(" ", 1)[0] if title else ""
    rest = title[len(first) :].strip()
    if is_identifier(first) and (not rest or rest[0] in _NOTE_STARTS):
        return first
    return None


def _words(text: str, number: str | None) -> bool:
    """Whether there is prose before a heading's code span (besides its number)."""
    stripped = text.strip()
    if number and stripped.startswith(number):
        stripped = stripped[len(number) :].lstrip(". ")
    return bool(stripped.strip("§ "))


class _Reader:
    """Walks the selected blocks, filling the catalog; problems are kept, never raised."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.deferred: list[tuple[int, str, str]] = []  # (line, original text, CREATE INDEX)
        # Specs say the same thing many times (`id UUID PK`, `created_at TIMESTAMPTZ NOT NULL
        # DEFAULT now()`, the same FK in every child table): each distinct item is classified
        # once, and each distinct ALTER action parsed once, per document. None: unreadable.
        self._classified: dict[Inline, Definition | None] = {}
        self._parsed: dict[str, Parsed | None] = {}
        self._plain: dict[str, Column | None] = {}

    def read(self, blocks: list[Block]) -> None:
        tables = self._table_headings(blocks)
        current: TableDraft | None = None
        level = 0
        for i, block in enumerate(blocks):
            if isinstance(block, Heading):
                if i in tables:
                    current, level = self._start_table(block, tables[i]), block.level
                elif current is not None and block.level <= level:
                    current = None
            elif isinstance(block, Item):
                self._definition(block.line, block.inline, current, columns=True)
            elif isinstance(block, Paragraph):
                self._definition(block.line, block.inline, current, columns=False)
            elif isinstance(block, Table) and current is not None:
                self._pipe_table(block, current)
            elif isinstance(block, Fence) and block.info in _SQL_FENCES:
                self._fence(block)
        for line, original, sql in self.deferred:
            self._statement(line, original, sql)

    def _table_headings(self, blocks: list[Block]) -> dict[int, str]:
        """Headings that name a table and have column definitions right under them."""
        found: dict[int, str] = {}
        defines: dict[Inline, bool] = {}
        for i, block in enumerate(blocks):
            if not isinstance(block, Heading):
                continue
            name = table_name(block)
            if name is None:
                continue
            for j in range(i + 1, len(blocks)):  # not `blocks[i + 1 :]`: a copy per heading
                body = blocks[j]
                if isinstance(body, Heading):
                    break
                if self._defines_columns(body, defines):
                    found[i] = name
                    break
        return found

    def _defines_columns(self, block: Block, known: dict[Inline, bool]) -> bool:
        """A column definition that reads as one: what makes a heading a table's heading."""
        if isinstance(block, Item):
            if block.inline not in known:
                found = self.classify(block.inline)
                known[block.inline] = found is not None and found.kind == "column" and parses_as_column(found.sql)
            return known[block.inline]
        return isinstance(block, Table) and column_headers(block) is not None

    def _start_table(self, heading: Heading, name: str) -> TableDraft | None:
        catalog = self.catalog
        stored = catalog.rules.fold_unquoted(name)
        if catalog.table(stored) is not None:
            catalog.problems.append(Problem(heading.line, heading.inline.plain, f"table {stored!r} is defined twice"))
            return None
        catalog.base_line = heading.line
        draft = TableDraft(stored, origin=catalog.origin())
        catalog.add_table(draft)
        return draft

    def classify(self, inline: Inline) -> Definition | None:
        """What an item defines (None: prose, or nothing readable), once per distinct item."""
        if inline in self._classified:
            return self._classified[inline]
        try:
            found = classify(inline)
        except (ValueError, SqlglotError):
            found = None
        self._classified[inline] = found
        return found

    def _definition(self, line: int, inline: Inline, table: TableDraft | None, columns: bool) -> None:
        found = self.classify(inline)
        if found is None:
            return
        if found.kind == "column":
            if columns and table is not None:
                self._column(line, inline, found, table)
            return
        original = _text(inline)
        if found.kind in ("constraint", "table index"):
            if table is None:
                self._problem(line, original, f"a {found.kind} outside any table's section names no table")
            elif found.kind == "constraint":
                self._alter(line, original, table, f"ADD {found.sql}", "constraint")
            else:
                self.deferred.append(
                    (line, original, found.sql.replace("{table}", _quoted(table.name, self.catalog.dialect)))
                )
        elif found.kind in ("index", "statement"):
            self.deferred.append((line, original, found.sql))

    def _column(self, line: int, original: str | Inline, found: Definition, table: TableDraft) -> None:
        """A column from an item (its text is spelled out only for a problem) or a row."""
        action = f"ADD COLUMN {found.sql}"
        plain = self._plain_column(action)
        catalog = self.catalog
        if plain is not None and table.column_index(plain.name, catalog.rules) < 0:
            column = Column(
                plain.name,
                plain.type if not found.values else replace(plain.type, values=found.values),
                plain.nullable,
                plain.default,
                None,
                plain.generated,
                plain.comment,
                plain.collation,
                plain.on_update,
                Origin(catalog.path, line),
            )
            table.columns.append(column)
            return
        before = len(table.columns)
        text = original if isinstance(original, str) else _text(original)
        self._alter(line, text, table, action, "column definition")
        if found.values and len(table.columns) > before:
            column = table.columns[-1]
            table.columns[-1] = replace(column, type=replace(column.type, values=found.values))

    def _alter(self, line: int, original: str, table: TableDraft, action: str, what: str) -> None:
        catalog = self.catalog
        catalog.base_line = line
        try:
            parsed = self._parse_action(action)
            if parsed is None:  # the table's own name in the ALTER, for sqlglot's own message
                node, tokens = parse_alter(f"ALTER TABLE {_quoted(table.name, catalog.dialect)} {action}", catalog)
                parsed = node, tokens, catalog, action_spans(node, tokens, catalog)
            alter_draft(table, *parsed)
        except (DefinitionError, ValueError, SqlglotError) as exc:
            detail = _reason(exc)  # the ALTER TABLE we wrapped it in is ours, not the author's
            reason = f"cannot read this {what}" + ("" if "ALTER TABLE" in detail else f": {detail}")
            self._problem(line, original, reason, table.name)

    def _parse_action(self, action: str) -> Parsed | None:
        """sqlglot's tree of `ALTER TABLE <any table> action`, parsed once per distinct action;
        None when it does not parse. The name is a placeholder: the tree is applied to the
        table whose section holds the item, and a one-line action has its tokens on line 1
        whatever the table, so origins are the same as from the table's own ALTER (an action
        over several lines is not cached)."""
        if "\n" in action:
            return None
        if action not in self._parsed:
            catalog = self.catalog
            try:
                node, tokens = parse_alter(f"ALTER TABLE {_quoted(_PLACEHOLDER, catalog.dialect)} {action}", catalog)
                self._parsed[action] = node, tokens, catalog, action_spans(node, tokens, catalog)
            except (DefinitionError, ValueError, SqlglotError):
                self._parsed[action] = None
        return self._parsed[action]

    def _plain_column(self, action: str) -> Column | None:
        """The column an `ADD COLUMN` action builds, once per distinct action, when that
        column is the same under any table: no key, unique, check, reference, identity or
        serial (whose names come from the table), no MySQL FIRST/AFTER. The caller gives it
        the item's line as its origin. None otherwise: the action goes through `_alter`.
        Types are resolved against the enums and domains the catalog has while the items
        are read; the ```sql``` blocks that may define more run after all items."""
        if action in self._plain:
            return self._plain[action]
        plain: Column | None = None
        parsed = self._parse_action(action)
        if parsed is not None and is_plain(parsed):
            scratch = TableDraft(_PLACEHOLDER)
            try:
                alter_draft(scratch, *parsed)
            except (DefinitionError, ValueError, SqlglotError):
                pass
            else:
                if len(scratch.columns) == 1 and scratch.columns[0].identity is None:
                    plain = scratch.columns[0]
        self._plain[action] = plain
        return plain

    def _statement(self, line: int, original: str, sql: str) -> None:
        before = len(self.catalog.problems)
        statements.apply(Statement(sql, line), self.catalog)
        for i in range(before, len(self.catalog.problems)):
            problem = self.catalog.problems[i]
            reason = problem.reason.replace("not defined earlier in the file", "not defined in the selected sections")
            self.catalog.problems[i] = Problem(problem.line, original[:80], reason)

    def _pipe_table(self, block: Table, table: TableDraft) -> None:
        headers = column_headers(block)
        if headers is None:
            return
        for row in table_rows(block, headers):
            if row.sql is None:
                if row.name:
                    self._problem(row.line, row.name, "not a column name", table.name)
                continue
            self._column(row.line, row.name, Definition("column", row.sql, row.values), table)

    def _fence(self, block: Fence) -> None:
        for statement in split_statements(block.content, self.catalog.dialect):
            line = block.line + statement.line - 1
            self.deferred.append((line, " ".join(statement.text.split())[:80], statement.text))

    def _problem(self, line: int, original: str, reason: str, table: str | None = None) -> None:
        self.catalog.problems.append(Problem(line, original[:80], reason, table))


def _text(inline: Inline) -> str:
    """An item's text on one line, as problems cite it."""
    return " ".join(inline.plain.split())


def _quoted(name: str, dialect: str) -> str:
    """A table name as the dialect quotes it (MySQL reads "x" as a string, not a name)."""
    if dialect == "mysql":
        return "`" + name.replace("`", "``") + "`"
    return '"' + name.replace('"', '""') + '"'


def _reason(exc: Exception) -> str:
    text = " ".join(str(exc).split())
    return text.split(". Line ")[0] if text else type(exc).__name__
