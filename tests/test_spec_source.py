"""The `spec:` source: markdown spec documents read into the model, with file:line origins.

Documents are written here as a person would write them (list items of inline DDL, pipe
tables, constraint and index lists, prose around them), and the expected tables are the
ones the same schema written as plain DDL gives: one grammar reads both.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from schemaudit.diff import compare
from schemaudit.errors import SourceError
from schemaudit.model import (
    CheckConstraint,
    ForeignKey,
    Index,
    IndexElement,
    Origin,
    PrimaryKey,
    Schema,
    UniqueConstraint,
)
from schemaudit.sources import LoadOptions, load
from schemaudit.sources.ddl.source import read_ddl
from schemaudit.sources.spec.source import read_spec
from schemaudit.types import parse_type
from tests.test_cli import assert_one_line_error, run

LIST_SPEC = """\
# Shop — technical specification

## 1. Overview

Prose with a code span that is not a definition: `orders` are placed by `customers`.

1. `brief` — not a column: one word
2. `GET /api/orders` — not under a table heading, so never a column

## 2. Data model

### 2.1 `customers`

1. `id UUID PK`
2. `email TEXT NOT NULL UNIQUE` — login name
3. `tier TEXT NOT NULL DEFAULT 'free'` (`free|pro|...`)
4. `created_at TIMESTAMPTZ NOT NULL DEFAULT now()`

### 2.2 orders

- `id UUID PK`
- `customer_id UUID NOT NULL FK -> customers.id ON DELETE CASCADE`
- `coupon_id UUID NULL FK → coupons(id)`
- `status TEXT NOT NULL` (`new|paid|shipped`)
- `total NUMERIC(10,2) NOT NULL CHECK (total >= 0)`
- `placed_at TIMESTAMPTZ NULL`

Constraints:

- unique `(customer_id, placed_at)`
- check `status <> 'void'`

#### Indexes

- index `(customer_id, placed_at DESC)`

### 2.3 coupons (optional)

| Column | Type | Nullable | Default | Notes |
|---|---|---|---|---|
| `id` | `UUID` | no | | PK |
| `code` | `TEXT` | no | | unique |
| `percent` | `INT` | no | `10` | |
| `owner_id` | `UUID` | yes | — | FK → customers.id |

**Constraint:** `CHECK (percent BETWEEN 1 AND 90)`

## 3. Required Indexes

- `orders(status, placed_at DESC)` — the packing queue
- UNIQUE `customers(lower(email))`

```sql
CREATE TABLE audit_log (
    id BIGINT PRIMARY KEY,
    note TEXT NOT NULL
);
CREATE INDEX audit_log_note ON audit_log (note);
```
"""

SAME_AS_DDL = """
CREATE TABLE customers (
    id UUID PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    tier TEXT NOT NULL DEFAULT 'free',
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE coupons (
    id UUID NOT NULL PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    percent INT NOT NULL DEFAULT 10,
    owner_id UUID NULL REFERENCES customers (id),
    CHECK (percent BETWEEN 1 AND 90)
);
CREATE TABLE orders (
    id UUID PRIMARY KEY,
    customer_id UUID NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    coupon_id UUID NULL REFERENCES coupons (id),
    status TEXT NOT NULL,
    total NUMERIC(10,2) NOT NULL CHECK (total >= 0),
    placed_at TIMESTAMPTZ NULL,
    UNIQUE (customer_id, placed_at),
    CHECK (status <> 'void')
);
CREATE INDEX orders_customer_id_placed_at_idx ON orders (customer_id, placed_at DESC);
CREATE INDEX orders_status_placed_at_idx ON orders (status, placed_at DESC);
CREATE UNIQUE INDEX customers_expr_idx ON customers (lower(email));
CREATE TABLE audit_log (id BIGINT PRIMARY KEY, note TEXT NOT NULL);
CREATE INDEX audit_log_note ON audit_log (note);
"""


def line_of(text: str, after: str = "") -> int:
    """The 1-based line of LIST_SPEC where `text` first occurs (after `after`, if given)."""
    start = LIST_SPEC.index(after) if after else 0
    return LIST_SPEC[: LIST_SPEC.index(text, start)].count("\n") + 1


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    path = tmp_path / "SPEC.md"
    path.write_text(LIST_SPEC, encoding="utf-8")
    return path


def test_list_style_spec_reads_like_the_same_ddl(shop: Path) -> None:
    spec = load(f"spec:{shop}")
    ddl = read_ddl(SAME_AS_DDL, "postgresql", "same.sql")
    assert spec.table_names == ("audit_log", "coupons", "customers", "orders")
    assert [c.describe() for c in compare(spec, ddl)] == []
    assert [c.describe() for c in compare(ddl, spec)] == []
    assert spec.not_audited == ()


def test_inline_ddl_shorthand(shop: Path) -> None:
    orders = load(f"spec:{shop}").table("orders")
    assert orders is not None
    assert orders.primary_key == PrimaryKey(
        ("id",), "orders_pkey", Origin(str(shop), line_of("`id UUID PK`", "2.2 orders"))
    )
    assert [(f.columns, f.ref_table, f.ref_columns, f.on_delete) for f in orders.foreign_keys] == [
        (("coupon_id",), "coupons", ("id",), "NO ACTION"),
        (("customer_id",), "customers", ("id",), "CASCADE"),
    ]
    assert [c.name for c in orders.columns] == ["id", "customer_id", "coupon_id", "status", "total", "placed_at"]
    assert [c.nullable for c in orders.columns] == [False, False, True, False, False, True]
    assert orders.checks == (
        CheckConstraint(
            "status <> 'void'", "orders_status_check", "status", Origin(str(shop), line_of("check `status"))
        ),
        CheckConstraint("total >= 0", "orders_total_check", "total", Origin(str(shop), line_of("`total NUMERIC"))),
    )
    assert orders.uniques == (
        UniqueConstraint(
            ("customer_id", "placed_at"), "orders_customer_id_placed_at_key", Origin(str(shop), line_of("unique `("))
        ),
    )
    # allowed values beside a definition document the column's domain: no CHECK is made
    status = orders.columns[3]
    assert status.type.values == ("new", "paid", "shipped") and status.type.raw == "TEXT"
    customers = load(f"spec:{shop}").table("customers")
    assert customers is not None and customers.columns[2].type.values == ("free", "pro")  # `...`: open list


def test_pipe_table_columns(shop: Path) -> None:
    coupons = load(f"spec:{shop}").table("coupons")
    assert coupons is not None
    assert [(c.name, c.type.raw, c.nullable, c.default) for c in coupons.columns] == [
        ("id", "UUID", False, None),
        ("code", "TEXT", False, None),
        ("percent", "INT", False, "10"),
        ("owner_id", "UUID", True, None),
    ]
    assert coupons.uniques == (UniqueConstraint(("code",), "coupons_code_key", Origin(str(shop), line_of("| `code`"))),)
    assert coupons.foreign_keys == (
        ForeignKey(
            ("owner_id",),
            "customers",
            ("id",),
            "coupons_owner_id_fkey",
            origin=Origin(str(shop), line_of("| `owner_id`")),
        ),
    )
    assert [c.expression for c in coupons.checks] == ["percent BETWEEN 1 AND 90"]
    assert coupons.origin == Origin(str(shop), line_of("### 2.3 coupons"))


def test_indexes_from_anywhere_in_the_selection(shop: Path) -> None:
    schema = load(f"spec:{shop}")
    orders, customers, audit = schema.table("orders"), schema.table("customers"), schema.table("audit_log")
    assert orders is not None and customers is not None and audit is not None
    assert orders.indexes == (
        Index(
            "orders_customer_id_placed_at_idx",
            (IndexElement("customer_id"), IndexElement("placed_at", descending=True)),
            origin=Origin(str(shop), line_of("index `(customer_id")),
        ),
        Index(
            "orders_status_placed_at_idx",
            (IndexElement("status"), IndexElement("placed_at", descending=True)),
            origin=Origin(str(shop), line_of("`orders(status")),
        ),
    )
    assert customers.indexes == (
        Index(
            "customers_expr_idx",
            (IndexElement("lower(email)", is_expression=True),),
            True,
            origin=Origin(str(shop), line_of("UNIQUE `customers")),
        ),
    )
    assert audit.origin == Origin(str(shop), line_of("CREATE TABLE audit_log"))
    assert [i.name for i in audit.indexes] == ["audit_log_note"]
    assert audit.indexes[0].origin == Origin(str(shop), line_of("CREATE INDEX audit_log_note"))


@pytest.mark.parametrize(
    ("fragment", "tables"),
    [
        ("#2", ("coupons", "customers", "orders")),
        ("#2.2", ("orders",)),
        ("#2.1,2.3", ("coupons", "customers")),
        ("#data-model", ("coupons", "customers", "orders")),
        ("#2-data-model", ("coupons", "customers", "orders")),
        ("#2.2,required-indexes", ("audit_log", "orders")),  # the sql block is in section 3
    ],
)
def test_section_selection(shop: Path, fragment: str, tables: tuple[str, ...]) -> None:
    schema = load(f"spec:{shop}{fragment}")
    assert schema.table_names == tables
    assert schema.origin == f"{shop}{fragment}"


def test_index_on_a_table_outside_the_selection_is_a_warning(shop: Path) -> None:
    schema = load(f"spec:{shop}#2.2,3")
    assert schema.table_names == ("audit_log", "orders")
    assert [o.name for o in schema.not_audited] == [
        f"{shop}:{line_of('UNIQUE `customers')}: UNIQUE customers(lower(email)) "
        "(table 'customers' is not defined in the selected sections)"
    ]


def test_headings_that_name_tables(tmp_path: Path) -> None:
    text = """\
## Overview
- `id UUID PK`

### users
- `id UUID PK`

### `teams`
- `id UUID PK`

#### 3.6 style_guides
- `id UUID PK`

### Notes on users
- `id UUID PK`

### empty_heading

Nothing defined here.
"""
    path = tmp_path / "h.md"
    path.write_text(text, encoding="utf-8")
    # "Overview" names no table ... it does name one: a heading whose text is a single
    # name with column definitions under it is a table, whatever the word
    assert load(f"spec:{path}").table_names == ("overview", "style_guides", "teams", "users")


def test_unreadable_definitions_are_listed_with_their_line(tmp_path: Path) -> None:
    text = """\
### items
1. `id UUID PK`
2. `price NUMERIC(10,`
3. `name TEXT NOT NULL`
- unique `(nope`

### items
- `id UUID PK`

- check `price > 0`
"""
    path = tmp_path / "w.md"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SourceError, match=r"w.md:3: price NUMERIC\(10, .* \(and 1 more\): the spec is incomplete"):
        load(f"spec:{path}")
    schema = load(f"spec:{path}", LoadOptions(lenient=True))
    items = schema.table("items")
    assert items is not None and [c.name for c in items.columns] == ["id", "name"]
    assert {o.kind for o in schema.not_audited} == {"unreadable definition"}
    assert sorted(o.name.removeprefix(f"{path}:") for o in schema.not_audited) == [
        "10: check price > 0 (a constraint outside any table's section names no table)",  # the duplicate is skipped
        "3: price NUMERIC(10, (cannot read this column definition)",
        "5: unique (nope (cannot read this constraint: Expecting ))",
        "7: items (table 'items' is defined twice)",
    ]


def test_dialect_option(tmp_path: Path) -> None:
    path = tmp_path / "s.md"
    path.write_text("### t\n- `id INTEGER PK`\n- `Name TEXT`\n", encoding="utf-8")
    pg = load(f"spec:{path}")
    lite = load(f"spec:{path}?dialect=sqlite")
    assert pg.dialect == "postgresql" and pg.table("t") is not None and pg.table("t").columns[1].name == "name"  # type: ignore[union-attr]
    assert lite.dialect == "sqlite" and lite.table("t").columns[1].name == "Name"  # type: ignore[union-attr]
    assert lite.table("t").columns[0].type == parse_type("INTEGER", "sqlite")  # type: ignore[union-attr]
    assert load(f"spec:{path}", LoadOptions(dialect="mysql")).dialect == "mysql"


def test_no_tables_and_unknown_sections_are_errors(shop: Path, tmp_path: Path) -> None:
    with pytest.raises(SourceError, match=r"no tables found in section 1 of"):
        load(f"spec:{shop}#1")
    with pytest.raises(SourceError, match=r"has no section '9'; its sections: .*2 \(data-model\)"):
        load(f"spec:{shop}#9")
    (tmp_path / "prose.md").write_text("# Just prose\n\nNothing here.\n", encoding="utf-8")
    assert_one_line_error(run("inspect", "spec:prose.md", cwd=tmp_path), "no tables found in prose.md")
    assert_one_line_error(run("inspect", "spec:missing.md#5", cwd=tmp_path), "spec document not found: missing.md")


def test_spec_text_without_a_file() -> None:
    schema: Schema = read_spec("## t\n- `id UUID PK`\n", "inline.md")
    assert schema.table_names == ("t",) and schema.tables[0].origin == Origin("inline.md", 1)


def test_type_parameters_keep_their_spelling(tmp_path: Path) -> None:
    """`NUMERIC(12,4)` reaches reports and SQL as written, not token by token."""
    spec = tmp_path / "spec.md"
    spec.write_text(
        "## costs\n\n1. `id UUID PK`\n2. `units NUMERIC(12,4) NOT NULL DEFAULT 0`\n3. `rate NUMERIC(12, 6)`\n"
    )
    costs = load(f"spec:{spec}").table("costs")
    assert costs is not None
    assert [c.type.raw for c in costs.columns] == ["UUID", "NUMERIC(12,4)", "NUMERIC(12, 6)"]
    assert (costs.columns[1].type.precision, costs.columns[1].type.scale) == (12, 4)


REPEATED_SPEC = """\
## Tables

### accounts

1. `id serial PK`
2. `code TEXT NOT NULL UNIQUE CHECK (code <> '')`
3. `bad COLUMN WITH NO TYPE (`

### projects

1. `id serial PK`
2. `code TEXT NOT NULL UNIQUE CHECK (code <> '')`
3. `bad COLUMN WITH NO TYPE (`
"""


def test_a_definition_written_under_two_tables_reads_as_each_tables_own() -> None:
    """The source parses each distinct definition once and applies it to every table
    that has it: names generated from the table, origins and refusals are still each
    table's own, as if each were parsed under its own name."""
    schema = read_spec(REPEATED_SPEC, "spec.md")
    by_name = {t.name: t for t in schema.tables}
    for name, line in (("accounts", 3), ("projects", 9)):
        table = by_name[name]
        assert table.origin == Origin("spec.md", line)
        assert [(c.name, c.origin) for c in table.columns] == [
            ("id", Origin("spec.md", line + 2)),
            ("code", Origin("spec.md", line + 3)),
        ]
        assert table.columns[0].identity is not None and table.columns[0].identity.sequence == f"{name}_id_seq"
        assert table.primary_key == PrimaryKey(("id",), f"{name}_pkey", Origin("spec.md", line + 2))
        assert [u.name for u in table.uniques] == [f"{name}_code_key"]
        assert [c.name for c in table.checks] == [f"{name}_code_check"]
    unread = [o.name for o in schema.not_audited if o.kind == "unreadable definition"]
    assert sorted(name.split(":", 2)[1] for name in unread) == ["13", "7"]
    assert all("__schemaudit" not in name for name in unread)


PLAIN_SPEC = """\
### accounts

1. `created_at TIMESTAMPTZ NOT NULL DEFAULT now()`
2. `note TEXT COLLATE "C"`
3. `price NUMERIC(10,2) DEFAULT 0`
4. `doubled NUMERIC(12,2) GENERATED ALWAYS AS (price * 2) STORED`

### projects

| Column | Type | Notes |
|---|---|---|
| state | TEXT | one of: 'open', 'closed' |

1. `price NUMERIC(10,2) DEFAULT 0`
2. `created_at TIMESTAMPTZ NOT NULL DEFAULT now()`
3. `note TEXT COLLATE "C"`
4. `price NUMERIC(10,2) DEFAULT 0`
"""

PLAIN_AS_DDL = """\
CREATE TABLE accounts (
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    note TEXT COLLATE "C",
    price NUMERIC(10,2) DEFAULT 0,
    doubled NUMERIC(12,2) GENERATED ALWAYS AS (price * 2) STORED
);
CREATE TABLE projects (
    state TEXT,
    price NUMERIC(10,2) DEFAULT 0,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    note TEXT COLLATE "C"
);
"""


def test_a_column_written_under_two_tables_is_each_tables_own() -> None:
    """A column that does not depend on its table is built once per document and given to
    each table with its own item's line: the tables are the ones plain DDL gives, each
    column cites its own line, and a repeat in the same table is still refused there."""
    schema = read_spec(PLAIN_SPEC, "spec.md")
    ddl = read_ddl(PLAIN_AS_DDL, "postgresql", "same.sql")
    assert [c.describe() for c in compare(schema, ddl)] == []
    assert [c.describe() for c in compare(ddl, schema)] == []
    lines = PLAIN_SPEC.splitlines()
    for table in schema.tables:
        for column in table.columns:
            assert column.origin is not None and column.origin.path == "spec.md"
            assert column.name in lines[column.origin.line - 1]
    by_name = {t.name: t for t in schema.tables}
    assert [c.origin for c in by_name["projects"].columns] == [Origin("spec.md", n) for n in (12, 14, 15, 16)]
    unread = [o.name for o in schema.not_audited if o.kind == "unreadable definition"]
    assert unread == [
        "spec.md:17: price NUMERIC(10,2) DEFAULT 0 (cannot read this column definition: "
        "column 'price' is defined twice in table 'projects')"
    ]
