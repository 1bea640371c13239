"""The `ddl:` source: a DDL file must read as the database built from it reads.

Every comparison here builds a real database from the same text (PostgreSQL and MariaDB
scratch databases, SQLite files) and compares it with what the DDL source makes of the
file, through `diff.compare`, in both directions where the file states everything the
catalog reports. The public corpus (Chinook in three dialects, Pagila) is real-world DDL
nobody on this project wrote.
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import psycopg
import pymysql
import pytest
from sqlalchemy.engine import make_url

from schemaudit.diff import compare
from schemaudit.errors import SourceError
from schemaudit.model import Identity, Origin, Schema
from schemaudit.model_objects import GROUPS, kind_label, listing, object_name, object_table
from schemaudit.sources import LoadOptions, load
from schemaudit.sources.ddl.source import read_ddl
from schemaudit.sources.ddl.split import split_statements
from tests.conftest import ScratchDb, corpus_file
from tests.test_cli import assert_one_line_error, run

PG_FEATURES = """
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN positive_int AS integer CHECK (VALUE > 0);
CREATE SEQUENCE loose_seq START 100;
CREATE TABLE users (
    id serial PRIMARY KEY,
    email varchar(255) NOT NULL UNIQUE,
    name text DEFAULT 'anon',
    mood mood DEFAULT 'ok',
    tags text[] DEFAULT '{}',
    score numeric(6,2) CHECK (score >= 0),
    created_at timestamptz NOT NULL DEFAULT now(),
    visits positive_int,
    CONSTRAINT users_name_len CHECK (char_length(name) < 100)
);
COMMENT ON TABLE users IS 'people';
COMMENT ON COLUMN users.email IS 'login';
CREATE TABLE orders (
    id bigint GENERATED ALWAYS AS IDENTITY (START WITH 10 INCREMENT BY 5),
    user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    amount numeric(10, 2) NOT NULL,
    amount_x2 numeric GENERATED ALWAYS AS (amount * 2) STORED,
    note text,
    PRIMARY KEY (id),
    UNIQUE (user_id, note)
);
ALTER TABLE orders ADD COLUMN status text NOT NULL DEFAULT 'new';
ALTER TABLE orders ADD CHECK (amount > 0);
ALTER TABLE orders ALTER COLUMN note SET DEFAULT '';
ALTER TABLE orders RENAME COLUMN note TO memo;
ALTER TABLE orders ADD COLUMN gone int;
ALTER TABLE orders DROP COLUMN gone;
CREATE TABLE order_lines (
    order_id bigint NOT NULL,
    line int NOT NULL,
    sku text NOT NULL,
    CONSTRAINT order_lines_pk PRIMARY KEY (order_id, line),
    CONSTRAINT order_lines_order_fk FOREIGN KEY (order_id) REFERENCES orders (id) DEFERRABLE INITIALLY DEFERRED
);
-- Rails' `validate: false`: NOT VALID keys, one validated later
CREATE TABLE reviews (id bigint PRIMARY KEY, user_id integer, order_id bigint);
ALTER TABLE ONLY reviews ADD CONSTRAINT fk_rails_user FOREIGN KEY (user_id) REFERENCES users(id) NOT VALID;
ALTER TABLE ONLY reviews ADD CONSTRAINT "Fk_Order" FOREIGN KEY (order_id) REFERENCES orders(id) NOT VALID;
ALTER TABLE reviews VALIDATE CONSTRAINT "Fk_Order";
ALTER TABLE reviews ADD CONSTRAINT reviews_id_check CHECK (id > 0) NOT VALID;
CREATE INDEX orders_user_created ON orders (user_id, id DESC);
CREATE UNIQUE INDEX users_lower_email ON users (lower(email));
CREATE INDEX orders_open ON orders (id) WHERE status <> 'done';
CREATE INDEX users_tags ON users USING gin (tags);
CREATE INDEX orders_cover ON orders (user_id) INCLUDE (amount);
CREATE INDEX users_name_nulls ON users (name NULLS FIRST);
CREATE TABLE events (id bigint NOT NULL, at date NOT NULL) PARTITION BY RANGE (at);
CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE events_2025 (id bigint NOT NULL, at date NOT NULL);
ALTER TABLE events ATTACH PARTITION events_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE counters (id integer NOT NULL, n integer);
CREATE SEQUENCE counters_id_seq;
ALTER SEQUENCE counters_id_seq OWNED BY counters.id;
ALTER TABLE ONLY counters ALTER COLUMN id SET DEFAULT nextval('counters_id_seq'::regclass);
CREATE VIEW active_users AS SELECT id, email FROM users WHERE mood <> 'sad';
CREATE MATERIALIZED VIEW order_totals AS SELECT user_id, sum(amount) AS total FROM orders GROUP BY user_id;
CREATE FUNCTION touch(p_id integer, OUT touched boolean) RETURNS boolean LANGUAGE sql AS $$ SELECT true; $$;
CREATE FUNCTION stamp() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.created_at := now(); RETURN NEW; END; $$;
CREATE TRIGGER users_stamp BEFORE INSERT ON users FOR EACH ROW EXECUTE FUNCTION stamp();
"""

MYSQL_FEATURES = """
CREATE TABLE `users` (
  `id` INT UNSIGNED NOT NULL AUTO_INCREMENT,
  `email` VARCHAR(255) NOT NULL,
  `name` VARCHAR(100) DEFAULT 'anon' COMMENT 'display name',
  `role` ENUM('admin','member') NOT NULL DEFAULT 'member',
  `prefs` JSON,
  `score` DECIMAL(6,2) CHECK (`score` >= 0),
  `created_at` TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  `updated_at` DATETIME DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (`id`),
  UNIQUE KEY `users_email` (`email`),
  KEY `users_name_prefix` (`name`(10)),
  KEY (`created_at`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='people';
CREATE TABLE orders (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  user_id INT UNSIGNED NOT NULL,
  total DECIMAL(10,2) NOT NULL DEFAULT 0.00,
  note TEXT,
  CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
  CONSTRAINT orders_total_positive CHECK (total >= 0)
) ENGINE=InnoDB;
CREATE TABLE order_notes (
  order_id BIGINT NOT NULL,
  body TEXT NOT NULL,
  FOREIGN KEY (order_id) REFERENCES orders (id)
);
ALTER TABLE orders ADD COLUMN status VARCHAR(20) NOT NULL DEFAULT 'new' AFTER total;
CREATE INDEX orders_status ON orders (status, id DESC);
CREATE UNIQUE INDEX order_notes_body ON order_notes (body(50));
CREATE VIEW big_orders AS SELECT id, total FROM orders WHERE total > 100;
DELIMITER //
CREATE TRIGGER orders_touch BEFORE UPDATE ON orders FOR EACH ROW BEGIN SET NEW.note = COALESCE(NEW.note, ''); END//
CREATE PROCEDURE purge_notes() BEGIN DELETE FROM order_notes; END//
DELIMITER ;
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def assert_same_schema(ddl: Schema, live: Schema, both_ways: bool = True) -> None:
    """No change at all between the two (not even storage notes), and the same objects
    listed as not audited."""
    forward = compare(ddl, live)
    assert [c.describe() for c in forward] == []
    if both_ways:
        assert [c.describe() for c in compare(live, ddl)] == []
    assert sorted(listed(ddl)) == sorted(listed(live))


def listed(schema: Schema) -> list[tuple[str, str, str]]:
    """(kind, name, table) of every object beyond tables, whether a source lists it as not
    audited (a file without a server) or holds it (a live database; enum types and row
    security, which a file does not list, left out)."""
    out = [(o.kind, o.name, o.table or "") for o in schema.not_audited]
    for _, group, _ in GROUPS:
        if group not in ("enums", "row_security"):
            out += [(kind_label(x), object_name(x), object_table(x) or "") for x in getattr(schema.objects, group)]
    return out


def pg_run(db: ScratchDb, sql: str) -> None:
    """Run a whole script in one go, as psql -f would (psycopg's simple query protocol)."""
    url = make_url(db.url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql.encode())


def mysql_run(db: ScratchDb, sql: str) -> None:
    url = make_url(db.url)
    conn = pymysql.connect(host=url.host, port=url.port or 3306, user=url.username, database=db.name, autocommit=True)
    try:
        with conn.cursor() as cur:
            for statement in split_statements(sql, "mysql"):
                cur.execute(statement.text)
    finally:
        conn.close()


# --- PostgreSQL ---------------------------------------------------------------------------


@pytest.mark.postgresql
def test_postgresql_file_reads_as_the_database_built_from_it(pg_db: ScratchDb, tmp_path: Path) -> None:
    pg_run(pg_db, PG_FEATURES)
    ddl = load(f"ddl:{write(tmp_path, 'features.sql', PG_FEATURES)}?dialect=postgresql")
    live = load(pg_db.url)
    assert_same_schema(ddl, live)
    # the names PostgreSQL gives unnamed constraints, and the serial / identity columns
    users, orders, counters = ddl.table("users"), ddl.table("orders"), ddl.table("counters")
    assert users is not None and orders is not None and counters is not None
    assert users.primary_key is not None and users.primary_key.name == "users_pkey"
    assert [u.name for u in users.uniques] == ["users_email_key"]
    assert {c.name for c in orders.checks} == {"orders_amount_check"}
    assert [f.name for f in orders.foreign_keys] == ["orders_user_id_fkey"]
    assert users.columns[0].identity == Identity("serial", "users_id_seq")
    assert orders.columns[0].identity == Identity("always", "orders_id_seq", 10, 5)
    assert counters.columns[0].identity == Identity("serial", "counters_id_seq") and counters.columns[0].default is None
    assert [c.name for c in orders.columns] == ["id", "user_id", "amount", "amount_x2", "memo", "status"]
    assert users.comment == "people" and users.columns[1].comment == "login"
    events = ddl.table("events")
    assert events is not None and ddl.table("events_2025") is None
    # partitions belong to their table, with their bounds as the file writes them
    assert events.options.partitioning == "PARTITION BY RANGE (at)"
    assert [(p.name, p.bound) for p in events.partitions] == [
        ("events_2024", "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')"),
        ("events_2025", "FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')"),
    ]
    assert not any(o.kind == "partition" for o in ddl.not_audited)
    for side in (ddl, live):  # compare() counts only a key the target validated: both ways here
        reviews = side.table("reviews")
        assert reviews is not None
        keys = sorted((f.name, f.validated) for f in reviews.foreign_keys)
        assert keys == [("Fk_Order", True), ("fk_rails_user", False)]
        assert [(c.name, c.validated) for c in reviews.checks] == [("reviews_id_check", False)]
    # read from the text (OUT arguments are not part of its name), equal to the database's
    assert [r.name for r in ddl.objects.routines] == ["stamp()", "touch(integer)"]
    # origins: file and line of each definition
    assert users.origin == Origin(str(tmp_path / "features.sql"), 5)
    assert orders.columns[5].origin == Origin(str(tmp_path / "features.sql"), 27)  # ALTER TABLE ... ADD COLUMN


# --- MySQL --------------------------------------------------------------------------------


@pytest.mark.mysql
def test_mysql_file_reads_as_the_database_built_from_it(mysql_db: ScratchDb, tmp_path: Path) -> None:
    mysql_run(mysql_db, MYSQL_FEATURES)
    ddl = load(str(write(tmp_path, "features.sql", MYSQL_FEATURES)))  # dialect told by the backticks
    live = load(mysql_db.url)
    # One way only: the server adds what the file never states (the default engine and
    # character set, collations), which the target side rightly does not ask for.
    assert [c.describe() for c in compare(ddl, live)] == []
    # Without a scratch server the file's view, trigger and procedure are listed as not
    # audited (hand-written bodies would look changed); the database reads and models them.
    modelled = {(kind, name) for kind, name, _, _ in listing(live.objects)}
    assert modelled == {("view", "big_orders"), ("trigger", "orders_touch"), ("procedure", "purge_notes")}
    listed = sorted(ddl.not_audited, key=repr)
    assert [o for o in listed if (o.kind, o.name) not in modelled] == sorted(live.not_audited, key=repr)
    assert {(o.kind, o.name) for o in listed} >= modelled
    orders, notes = ddl.table("orders"), ddl.table("order_notes")
    assert orders is not None and notes is not None
    assert [c.name for c in orders.columns] == ["id", "user_id", "total", "status", "note"]  # AFTER total
    assert orders.columns[0].identity == Identity("auto_increment")
    # InnoDB's own index for a foreign key no index starts with, named after its column
    assert [(i.name, i.columns) for i in notes.indexes] == [
        ("order_id", ("order_id",)),
        ("order_notes_body", ("body",)),
    ]


# --- SQLite -------------------------------------------------------------------------------


def test_sqlite_file_is_run_in_a_scratch_database_and_keeps_its_lines(tmp_path: Path) -> None:
    text = (
        "-- shop\n"
        "CREATE TABLE [Item] (\n"
        "    [Id] INTEGER PRIMARY KEY AUTOINCREMENT,\n"
        "    [Name] NVARCHAR(40) NOT NULL COLLATE NOCASE,\n"
        "    price REAL CHECK (price >= 0)\n"
        ");\n"
        "INSERT INTO [Item] (Name, price) VALUES ('a;b', 1);\n"
        "CREATE TRIGGER item_touch AFTER UPDATE ON Item BEGIN\n"
        "    UPDATE Item SET price = price WHERE Id = NEW.Id;\n"
        "END;\n"
        "ALTER TABLE Item ADD COLUMN sku TEXT;\n"
        "CREATE UNIQUE INDEX item_sku ON Item (sku) WHERE sku IS NOT NULL;\n"
    )
    path = write(tmp_path, "shop.sql", text)
    ddl = load(f"ddl:{path}?dialect=sqlite")
    database = tmp_path / "shop.db"
    with sqlite3.connect(database) as conn:
        conn.executescript(text)
    conn.close()
    live = load(f"sqlite:///{database}")
    assert_same_schema(ddl, live)
    item = ddl.table("item")
    assert item is not None
    assert item.origin == Origin(str(path), 2)
    assert [c.origin.line if c.origin else None for c in item.columns] == [3, 4, 5, 11]
    assert item.indexes[0].origin == Origin(str(path), 12)
    assert [(t.name, t.table) for t in ddl.objects.triggers] == [("item_touch", "Item")]


def test_sqlite_file_cannot_reach_another_database(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.db"
    text = f"ATTACH DATABASE '{elsewhere}' AS other;\nCREATE TABLE other.t (a int);\nCREATE TABLE t (a int);\n"
    schema = read_ddl(text, "sqlite", "evil.sql", lenient=True)
    assert not elsewhere.exists()
    assert schema.table_names == ("t",)
    assert [o.name for o in schema.not_audited if o.kind == "unreadable statement"] == [
        "evil.sql:2: CREATE TABLE other.t (a int) (unknown database other)"
    ]


# --- the corpus ---------------------------------------------------------------------------


def _schema_statements(text: str, dialect: str) -> str:
    """Chinook's schema without its data and its CREATE/DROP DATABASE lines (which the
    corpus README says to skip); the DDL source reads the whole file, data included."""
    keep = [
        s.text
        for s in split_statements(text, dialect)
        if s.head(1)[0] in ("CREATE", "ALTER") and s.head(2)[1] != "DATABASE"
    ]
    return ";\n".join(keep) + ";\n"


@pytest.mark.postgresql
def test_chinook_postgresql(pg_db: ScratchDb) -> None:
    path = corpus_file("chinook", "Chinook_PostgreSql.sql")
    pg_run(pg_db, _schema_statements(path.read_text(encoding="utf-8-sig"), "postgresql"))
    ddl = load(f"ddl:{path}")
    assert ddl.dialect == "postgresql" and len(ddl.tables) == 11
    assert_same_schema(ddl, load(pg_db.url))


@pytest.mark.mysql
def test_chinook_mysql(mysql_db: ScratchDb) -> None:
    path = corpus_file("chinook", "Chinook_MySql.sql")
    mysql_run(mysql_db, _schema_statements(path.read_text(encoding="utf-8-sig"), "mysql"))
    ddl = load(f"ddl:{path}")
    assert ddl.dialect == "mysql" and len(ddl.tables) == 11
    assert [c.describe() for c in compare(ddl, load(mysql_db.url))] == []


def test_chinook_sqlite(tmp_path: Path) -> None:
    path = corpus_file("chinook", "Chinook_Sqlite.sql")
    database = tmp_path / "chinook.db"
    conn = sqlite3.connect(database)
    conn.executescript(path.read_text(encoding="utf-8-sig"))
    conn.close()
    ddl = load(f"ddl:{path}")
    assert ddl.dialect == "sqlite" and len(ddl.tables) == 11
    assert_same_schema(ddl, load(f"sqlite:///{database}"))


PAGILA_OBJECTS = {
    ("aggregate", "group_concat(text)"),
    ("domain", "b\u0131g\u0131nt"),  # dotless i, as pg_dump wrote it
    ("domain", "year"),
    ("function", "_group_concat(text,text)"),
    ("function", "film_in_stock(integer,integer)"),
    ("function", "film_not_in_stock(integer,integer)"),
    ("function", "get_customer_balance(integer,timestamp with time zone)"),
    ("function", "inventory_held_by_customer(integer)"),
    ("function", "inventory_in_stock(integer)"),
    ("function", "last_day(timestamp with time zone)"),
    ("function", "last_updated()"),
    ("function", "rewards_report(integer,numeric)"),
    ("materialized view", "rental_by_category"),
    ("view", "actor_info"),
    ("view", "customer_list"),
    ("view", "film_list"),
    ("view", "nicer_but_slower_film_list"),
    ("view", "sales_by_film_category"),
    ("view", "sales_by_store"),
    ("view", "staff_list"),
}


def test_pagila_reads_whole_with_its_objects_listed_as_not_audited() -> None:
    """The file as published (PostgreSQL 18 syntax included: VIRTUAL generated columns)."""
    schema = load(f"ddl:{corpus_file('pagila', 'pagila-schema.sql')}")
    assert len(schema.tables) == 16
    kinds = {(kind, name) for kind, name, _ in listed(schema)}
    assert kinds >= PAGILA_OBJECTS | {("extension", "vector")}
    # without a scratch server, what the text gives exactly is read; views stay listed
    assert len(schema.objects.triggers) == 16 and len(schema.objects.routines) == 9
    assert not any(o.kind == "partition" for o in schema.not_audited)
    # payment's monthly partitions have indexes and foreign keys of their own (none of payment's):
    # read into each partition, no longer listed
    assert not any(o.kind in ("partition index", "partition constraint") for o in schema.not_audited)
    paid = schema.table("payment")
    assert paid is not None
    assert sum(len(p.indexes) for p in paid.partitions) == 18
    assert sum(len(p.foreign_keys) for p in paid.partitions) == 18
    assert not any(p.checks for p in paid.partitions)
    first = paid.partitions[0]
    assert first.name == "payment_p2022_01"
    assert "idx_fk_payment_p2022_01_customer_id" in [i.name for i in first.indexes]
    assert "payment_p2022_01_customer_id_fkey" in [f.name for f in first.foreign_keys]
    assert len(schema.objects.sequences) == 13  # not OWNED BY their columns
    views = [o for o in schema.not_audited if o.kind in ("view", "materialized view")]
    assert len(views) == 8 and all(o.reason and "--scratch-url" in o.reason for o in views)
    film = schema.table("film")
    assert film is not None
    assert film.columns[3].type.name == "year" and film.columns[10].type.values == ("G", "PG", "PG-13", "R", "NC-17")
    assert film.columns[-1].generated is not None and film.columns[-1].generated.stored is False
    payment = schema.table("payment")
    assert payment is not None and payment.options.partitioned


def _pagila_for_postgresql_15() -> str:
    """Pagila needs PostgreSQL 18 (uuidv7(), VIRTUAL generated columns) and pgvector; the
    test server is 15 without pgvector. These substitutions, the only changes, keep every
    table, key and index: gen_random_uuid() for uuidv7(), STORED for VIRTUAL, real[] and a
    GIN index for the vector column and its HNSW index."""
    text = (corpus_file("pagila", "pagila-schema.sql")).read_text(encoding="utf-8")
    substitutions = {
        "uuidv7()": "gen_random_uuid()",
        ") VIRTUAL": ") STORED",
        "CREATE EXTENSION IF NOT EXISTS vector WITH SCHEMA public;": "",
        "COMMENT ON EXTENSION vector IS 'vector data type and ivfflat and hnsw access methods';": "",
        "public.vector(20)": "real[]",
        "USING hnsw (embedding public.vector_cosine_ops)": "USING gin (embedding)",
    }
    for old, new in substitutions.items():
        assert old in text
        text = text.replace(old, new)
    return text


@pytest.mark.postgresql
def test_pagila_reads_as_the_database_built_from_it(pg_db: ScratchDb, tmp_path: Path) -> None:
    text = _pagila_for_postgresql_15()
    pg_run(pg_db, text)
    ddl = load(f"ddl:{write(tmp_path, 'pagila.sql', text)}")
    live = load(pg_db.url)
    assert sorted(listed(ddl)) == sorted(listed(live))
    assert {(kind, name) for kind, name, _ in listed(live)} >= PAGILA_OBJECTS
    for target, current in ((ddl, live), (live, ddl)):
        # PostgreSQL stores the generated expression `round(length / 60.0, 2)` with the
        # implicit cast it resolved, `round(((length)::numeric / 60.0), 2)`: the same expression
        assert list(compare(target, current)) == []


# --- statements, errors -------------------------------------------------------------------


def test_statements_split_where_the_dialect_ends_them() -> None:
    pg = (
        "CREATE TABLE a (x text DEFAULT 'a;b'); -- c;\n"
        "CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;\n"
        "\\connect other\n"
        "COPY a (x) FROM stdin;\nrow;1\n\\.\n"
        "SELECT E'it\\'s;'; /* ; */ CREATE TABLE b (y int)"
    )
    assert [(s.line, s.text[:15]) for s in split_statements(pg, "postgresql")] == [
        (1, "CREATE TABLE a "),
        (2, "CREATE FUNCTION"),
        (3, "\\connect other"),
        (4, "COPY a (x) FROM"),
        (7, "SELECT E'it\\'s;"),
        (7, "CREATE TABLE b "),
    ]
    mysql = (
        "# note;\nCREATE TABLE `a;` (x text DEFAULT 'it\\'s;');\n"
        "DELIMITER $$\nCREATE TRIGGER t BEGIN SET x = 1; END$$\nDELIMITER ;\nSELECT 1;"
    )
    assert [(s.line, s.text[:14]) for s in split_statements(mysql, "mysql")] == [
        (2, "CREATE TABLE `"),
        (4, "CREATE TRIGGER"),
        (6, "SELECT 1"),
    ]
    sqlite = "CREATE TABLE [a;] (x);\nCREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE a SET x = 1; END;\nSELECT 1;"
    assert [s.line for s in split_statements(sqlite, "sqlite")] == [1, 2, 3]


def test_unreadable_statement_names_its_line(tmp_path: Path) -> None:
    path = write(
        tmp_path, "bad.sql", "CREATE TABLE a (id int PRIMARY KEY);\n\nCREATE TABLE b (id int,,);\nCREATE FROB x;\n"
    )
    with pytest.raises(SourceError) as caught:
        load(f"ddl:{path}?dialect=postgresql")
    assert str(caught.value).startswith(f"{path}:3: cannot read 'CREATE TABLE b (id int,,)'")
    assert "(and 1 more)" in str(caught.value) and "--lenient" in str(caught.value)
    lenient = load(f"ddl:{path}?dialect=postgresql", LoadOptions(lenient=True))
    assert lenient.table_names == ("a",)
    assert [o.name for o in lenient.not_audited] == [
        f"{path}:3: CREATE TABLE b (id int,,) (the table's column list has an empty or unreadable item)",
        f"{path}:4: CREATE FROB x (unsupported statement CREATE FROB)",
    ]
    assert load(f"ddl:{path}?dialect=postgresql&lenient=1") == lenient


@pytest.mark.parametrize(
    ("text", "spec_suffix", "fragments"),
    [
        ("CREATE TABLE t (id int);", "", ("cannot tell which SQL dialect", "?dialect=postgresql")),
        ("CREATE TABLE t (id int);", "?dialect=oracle", ("unknown dialect 'oracle'",)),
        ("CREATE VIEW v AS SELECT 1;", "?dialect=postgresql", ("defines no tables",)),
        ("CREATE TABLE t (id int); CREATE TABLE t2 (x nonsense(;", "?dialect=mysql", ("t.sql:1", "--lenient")),
    ],
)
def test_bad_ddl_is_one_line_and_exit_2(
    text: str, spec_suffix: str, fragments: tuple[str, ...], tmp_path: Path
) -> None:
    write(tmp_path, "t.sql", text)
    assert_one_line_error(run("inspect", f"ddl:t.sql{spec_suffix}", cwd=tmp_path), *fragments)


def test_missing_file_and_directory(tmp_path: Path) -> None:
    assert_one_line_error(run("inspect", "ddl:nope.sql", cwd=tmp_path), "DDL file not found: nope.sql")
    (tmp_path / "dir.sql").mkdir()
    assert_one_line_error(run("inspect", "dir.sql", cwd=tmp_path), "is a directory")


def test_a_sql_path_without_prefix_is_a_ddl_file(tmp_path: Path) -> None:
    write(tmp_path, "s.sql", "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT);")
    result = run("inspect", "s.sql", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert '"name": "t"' in result.stdout and '"dialect": "sqlite"' in result.stdout


def test_schema_option_keeps_one_schema(tmp_path: Path) -> None:
    text = (
        "CREATE TABLE app.a (id int); CREATE TABLE public.b (id int);\nSET search_path = app; CREATE TABLE c (id int);"
    )
    path = write(tmp_path, "s.sql", text)
    assert load(f"ddl:{path}?dialect=postgresql").table_names == ("b",)
    assert load(f"ddl:{path}?dialect=postgresql", LoadOptions(schema="app")).table_names == ("a", "c")
    assert replace(load(f"ddl:{path}?dialect=postgresql&schema=app"), origin=None).name == "app"
