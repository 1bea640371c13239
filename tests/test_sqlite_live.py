"""The live SQLite source: real database files, read strictly read-only, mapped per CONVENTIONS."""

from __future__ import annotations

import hashlib
import importlib.util
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from schemaudit.errors import SourceError
from schemaudit.identifiers import SQLITE_RULES
from schemaudit.model import (
    CheckConstraint,
    Column,
    ForeignKey,
    Generated,
    Identity,
    Index,
    IndexElement,
    PrimaryKey,
    Schema,
    Table,
    TableOptions,
    UniqueConstraint,
)
from schemaudit.sources import LoadOptions
from schemaudit.sources import load as load_any
from schemaudit.sources.live import sqlite as sqlite_live
from schemaudit.sources.live.sqlite import load, read_schema
from schemaudit.sources.live.sqlite_scan import (
    CheckFacts,
    ForeignKeyFacts,
    _resume_point,
    _TableScanner,
    scan_create_index,
    scan_create_table,
)
from schemaudit.types import parse_type
from tests.conftest import corpus_file

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
OPTIONS = LoadOptions()

FEATURES_DDL = """
CREATE TABLE "Customer Accounts" (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    "E-mail" TEXT NOT NULL COLLATE NOCASE,
    [Display Name] VARCHAR(80) DEFAULT 'anonymous',
    `created at` TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    balance NUMERIC(10, 2) NOT NULL DEFAULT (0.0 + 0) CONSTRAINT ck_balance_positive CHECK (balance >= 0),
    notes,
    CONSTRAINT uq_customer_email UNIQUE ("E-mail"),
    CHECK (length("E-mail") > 3)
);
CREATE TABLE "order" (
    "OrderId" INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES "Customer Accounts" (id) ON DELETE CASCADE ON UPDATE NO ACTION,
    "select" TEXT UNIQUE,
    status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'paid', 'shipped')),
    total_cents INTEGER NOT NULL,
    total REAL AS (total_cents / 100.0) VIRTUAL,
    total_label TEXT GENERATED ALWAYS AS ('$' || (total_cents / 100)) STORED
);
CREATE TABLE "we""ird" (
    "a""b" TEXT, -- a comment, with CHECK (x) and commas
    region TEXT,
    code TEXT,
    CONSTRAINT "pk we""ird" PRIMARY KEY (region, code)
) WITHOUT ROWID;
CREATE TABLE OrderLine (
    order_id INTEGER NOT NULL,
    line_no INTEGER NOT NULL,
    region TEXT,
    code TEXT,
    qty INTEGER NOT NULL CHECK (qty > 0),
    PRIMARY KEY (order_id, line_no),
    CONSTRAINT fk_line_order FOREIGN KEY (order_id) REFERENCES "order" ("OrderId") ON DELETE CASCADE,
    FOREIGN KEY (region, code) REFERENCES "we""ird" (region, code) ON DELETE SET NULL ON UPDATE CASCADE,
    /* CONSTRAINT not_real CHECK (0), */ CONSTRAINT ck_line_qty_small CHECK (qty < 1000)
);
CREATE TABLE strict_things (
    id INTEGER PRIMARY KEY,
    payload BLOB,
    n INT NOT NULL DEFAULT -1,
    label ANY
) STRICT;
CREATE INDEX ix_order_customer_status ON "order" (customer_id, status DESC);
CREATE UNIQUE INDEX ux_customer_display ON "Customer Accounts" ([Display Name]);
CREATE INDEX ix_customer_email_lower ON "Customer Accounts" (lower("E-mail"));
CREATE INDEX ix_order_open ON "order" ("select") WHERE status <> 'shipped';
CREATE VIEW open_orders AS SELECT * FROM "order" WHERE status <> 'shipped';
CREATE TRIGGER trg_order_paid AFTER UPDATE OF status ON "order" BEGIN SELECT 1; END;
"""


def col(name: str, raw: str, **attrs: object) -> Column:
    """A column as the SQLite source must report it: `raw` is the declared type."""
    return Column(name, parse_type(raw, "sqlite"), **attrs)  # type: ignore[arg-type]


EXPECTED = {
    "Customer Accounts": Table(
        name="Customer Accounts",
        columns=(
            col("id", "INTEGER", identity=Identity("autoincrement")),
            col("E-mail", "TEXT", nullable=False, collation="NOCASE"),
            col("Display Name", "VARCHAR(80)", default="'anonymous'"),
            col("created at", "TIMESTAMP", nullable=False, default="CURRENT_TIMESTAMP"),
            col("balance", "NUMERIC(10, 2)", nullable=False, default="0.0 + 0"),
            col("notes", ""),
        ),
        primary_key=PrimaryKey(("id",)),
        indexes=(
            Index("ix_customer_email_lower", (IndexElement('lower("E-mail")', is_expression=True),)),
            Index("ux_customer_display", (IndexElement("Display Name"),), unique=True),
        ),
        uniques=(UniqueConstraint(("E-mail",), "uq_customer_email"),),
        checks=(
            CheckConstraint('length("E-mail") > 3'),
            CheckConstraint("balance >= 0", "ck_balance_positive", "balance"),
        ),
    ),
    "order": Table(
        name="order",
        columns=(
            col("OrderId", "INTEGER", identity=Identity("rowid")),
            col("customer_id", "INTEGER", nullable=False),
            col("select", "TEXT"),
            col("status", "TEXT", nullable=False, default="'new'"),
            col("total_cents", "INTEGER", nullable=False),
            col("total", "REAL", generated=Generated("total_cents / 100.0", stored=False)),
            col("total_label", "TEXT", generated=Generated("'$' || (total_cents / 100)", stored=True)),
        ),
        primary_key=PrimaryKey(("OrderId",)),
        foreign_keys=(ForeignKey(("customer_id",), "Customer Accounts", ("id",), on_delete="CASCADE"),),
        indexes=(
            Index(
                "ix_order_customer_status",
                (IndexElement("customer_id"), IndexElement("status", descending=True)),
            ),
            Index("ix_order_open", (IndexElement("select"),), where="status <> 'shipped'"),
        ),
        uniques=(UniqueConstraint(("select",)),),
        checks=(CheckConstraint("status IN ('new', 'paid', 'shipped')", column="status"),),
    ),
    'we"ird': Table(
        name='we"ird',
        columns=(
            col('a"b', "TEXT"),
            col("region", "TEXT", nullable=False),  # WITHOUT ROWID enforces NOT NULL on the key
            col("code", "TEXT", nullable=False),
        ),
        primary_key=PrimaryKey(("region", "code"), 'pk we"ird'),
        options=TableOptions(without_rowid=True),
    ),
    "OrderLine": Table(
        name="OrderLine",
        columns=(
            col("order_id", "INTEGER", nullable=False),
            col("line_no", "INTEGER", nullable=False),
            col("region", "TEXT"),
            col("code", "TEXT"),
            col("qty", "INTEGER", nullable=False),
        ),
        primary_key=PrimaryKey(("order_id", "line_no")),
        foreign_keys=(
            ForeignKey(("region", "code"), 'we"ird', ("region", "code"), on_delete="SET NULL", on_update="CASCADE"),
            ForeignKey(("order_id",), "order", ("OrderId",), "fk_line_order", on_delete="CASCADE"),
        ),
        checks=(
            CheckConstraint("qty > 0", column="qty"),
            CheckConstraint("qty < 1000", "ck_line_qty_small"),
        ),
    ),
    "strict_things": Table(
        name="strict_things",
        columns=(
            col("id", "INTEGER", identity=Identity("rowid")),
            col("payload", "BLOB"),
            col("n", "INT", nullable=False, default="-1"),
            col("label", "ANY"),
        ),
        primary_key=PrimaryKey(("id",)),
        options=TableOptions(strict=True),
    ),
}


def make_db(path: Path, ddl: str, wal: bool = False) -> Path:
    """Create a database file with `ddl` and close it cleanly."""
    with closing(sqlite3.connect(path)) as conn:
        if wal:
            assert conn.execute("PRAGMA journal_mode=WAL").fetchone()[0] == "wal"
        conn.executescript(ddl)
    return path


def fingerprint(path: Path) -> tuple[str, int, int]:
    data = path.read_bytes()
    info = path.stat()
    return hashlib.sha256(data).hexdigest(), info.st_mtime_ns, info.st_size


def siblings(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir())


# --- mapping ------------------------------------------------------------------------------


def test_every_feature_maps_to_the_model(tmp_path: Path) -> None:
    db = make_db(tmp_path / "features.db", FEATURES_DDL)
    schema = load(str(db), OPTIONS)

    assert schema.dialect == "sqlite"
    assert schema.origin == str(db)
    assert schema.name is None
    assert schema.rules == SQLITE_RULES
    assert schema.table_names == tuple(sorted(EXPECTED))  # sqlite_sequence is internal
    for table in schema.tables:
        assert table == EXPECTED[table.name], table.name
    assert schema.not_audited == ()
    (trigger,) = schema.objects.triggers
    assert (trigger.name, trigger.table, trigger.timing, trigger.events) == (
        "trg_order_paid",
        "order",
        "AFTER",
        ("UPDATE",),
    )
    assert trigger.definition.startswith("CREATE TRIGGER trg_order_paid")
    (view,) = schema.objects.views
    assert view.name == "open_orders" and view.definition.startswith("CREATE VIEW open_orders")
    assert view.depends_on == ("order",)
    assert schema.table("ORDERLINE") is schema.table("OrderLine")  # SQLite: case-insensitive


def test_rowid_alias_follows_sqlite_not_the_spelling(tmp_path: Path) -> None:
    """Only a lone INTEGER key of a rowid table aliases the rowid, even as a table constraint;
    `INTEGER PRIMARY KEY DESC` and `INT PRIMARY KEY` do not (SQLite's documented quirks)."""
    db = make_db(
        tmp_path / "rowid.db",
        """
        CREATE TABLE table_level (x integer, y TEXT, PRIMARY KEY (x DESC));
        CREATE TABLE desc_column (x INTEGER PRIMARY KEY DESC, y TEXT);
        CREATE TABLE int_type (x INT PRIMARY KEY, y TEXT);
        CREATE TABLE no_rowid (x INTEGER PRIMARY KEY, y TEXT) WITHOUT ROWID;
        CREATE TABLE composite (x INTEGER, y INTEGER, PRIMARY KEY (x, y));
        """,
    )
    identity = {t.name: t.columns[0].identity for t in load(str(db), OPTIONS).tables}
    assert identity == {
        "table_level": Identity("rowid"),
        "desc_column": None,
        "int_type": None,
        "no_rowid": None,
        "composite": None,
    }


def test_foreign_key_details(tmp_path: Path) -> None:
    db = make_db(
        tmp_path / "fk.db",
        """
        CREATE TABLE parent (id INTEGER PRIMARY KEY, a TEXT, b TEXT, UNIQUE (a, b));
        CREATE TABLE child (
            p INTEGER REFERENCES parent DEFERRABLE INITIALLY DEFERRED,
            q INTEGER CONSTRAINT fk_q REFERENCES parent (id) NOT DEFERRABLE INITIALLY DEFERRED,
            a TEXT, b TEXT,
            CONSTRAINT fk_ab FOREIGN KEY (a, b) REFERENCES parent (a, b) ON UPDATE SET DEFAULT DEFERRABLE
        );
        """,
    )
    child = load(str(db), OPTIONS).table("child")
    assert child is not None
    assert child.foreign_keys == (
        ForeignKey(("p",), "parent", ("id",), deferrable=True, initially_deferred=True),
        ForeignKey(("a", "b"), "parent", ("a", "b"), "fk_ab", on_update="SET DEFAULT", deferrable=True),
        ForeignKey(("q",), "parent", ("id",), "fk_q"),
    )


def test_index_elements_collations_and_expressions(tmp_path: Path) -> None:
    db = make_db(
        tmp_path / "ix.db",
        """
        CREATE TABLE t (a TEXT COLLATE NOCASE, b TEXT, c INTEGER);
        CREATE INDEX ix_mixed ON t (a, b COLLATE NOCASE DESC, (c * 2) DESC, "b" || 'x,)' ASC)
            WHERE c > 0 AND b <> 'WHERE';
        """,
    )
    table = load(str(db), OPTIONS).table("t")
    assert table is not None
    assert table.indexes == (
        Index(
            "ix_mixed",
            (
                IndexElement("a"),  # inherits the column's NOCASE: not written on the index
                IndexElement("b", descending=True, collation="NOCASE"),
                IndexElement("(c * 2)", is_expression=True, descending=True),
                IndexElement("\"b\" || 'x,)'", is_expression=True),
            ),
            where="c > 0 AND b <> 'WHERE'",
        ),
    )


def test_virtual_tables_are_modelled_and_their_shadow_tables_skipped(tmp_path: Path) -> None:
    with closing(sqlite3.connect(":memory:")) as probe:
        try:
            probe.execute("CREATE VIRTUAL TABLE f USING fts5(body)")
        except sqlite3.OperationalError:
            pytest.skip("this SQLite has no FTS5")
    db = make_db(tmp_path / "fts.db", "CREATE TABLE a (x); CREATE VIRTUAL TABLE docs USING fts5(body);")
    schema = load(str(db), OPTIONS)
    assert schema.table_names == ("a",)
    assert schema.not_audited == ()
    assert [(v.name, v.module) for v in schema.objects.virtual_tables] == [("docs", "fts5")]


def test_an_empty_file_is_an_empty_database(tmp_path: Path) -> None:
    """SQLite treats a zero-byte file as a valid empty database; so do we."""
    empty = tmp_path / "empty.db"
    empty.touch()
    schema = load(str(empty), OPTIONS)
    assert schema.tables == () and schema.not_audited == ()
    assert empty.stat().st_size == 0


# --- specs --------------------------------------------------------------------------------


def test_spec_forms(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = make_db(tmp_path / "app.db", "CREATE TABLE t (x);")
    monkeypatch.chdir(tmp_path)
    assert load("sqlite:///app.db", OPTIONS).table_names == ("t",)  # relative
    assert load("sqlite:///app.db", OPTIONS).origin == "app.db"
    assert load(f"sqlite:///{db}", OPTIONS).origin == str(db)  # four slashes: absolute
    assert f"sqlite:///{db}".startswith("sqlite:////")
    assert load("app.db", OPTIONS).table_names == ("t",)  # bare path
    assert load("sqlite+pysqlite:///app.db?check_same_thread=false", OPTIONS).table_names == ("t",)
    assert load_any("sqlite:///app.db").table_names == ("t",)  # through the registry
    assert load_any(str(db)).table_names == ("t",)


def test_paths_that_need_escaping_in_a_uri(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Spaces, `?`, `#` and `%` in the path must reach SQLite as a file name, not URI syntax."""
    folder = tmp_path / "odd dir #1 données"
    folder.mkdir()
    db = make_db(folder / "my db?v=1#x%20.db", "CREATE TABLE t (x);")
    assert load(str(db), OPTIONS).table_names == ("t",)
    monkeypatch.chdir(folder)
    assert load("sqlite:///my%20db%3Fv=1%23x%2520.db", OPTIONS).table_names == ("t",)
    assert siblings(db) == ["my db?v=1#x%20.db"]


# --- read-only ----------------------------------------------------------------------------


@pytest.mark.parametrize("wal", [False, True], ids=["rollback-journal", "wal"])
def test_inspection_changes_nothing(tmp_path: Path, wal: bool) -> None:
    db = make_db(tmp_path / "app.db", FEATURES_DDL + "INSERT INTO strict_things (payload) VALUES (x'00');", wal)
    assert siblings(db) == ["app.db"]  # closed cleanly: no -wal/-shm left by the writer
    assert (db.read_bytes()[18:20] == b"\x02\x02") is wal
    before = fingerprint(db)
    for _ in range(2):
        assert load(str(db), OPTIONS).table("order") == EXPECTED["order"]
    assert fingerprint(db) == before
    assert siblings(db) == ["app.db"]


def test_wal_database_in_use_is_read_through_its_wal(tmp_path: Path) -> None:
    """With a writer connected (so -wal/-shm exist and hold committed pages), we read the
    committed schema the normal read-only way and leave the writer's files alone."""
    db = make_db(tmp_path / "busy.db", "CREATE TABLE t (x);", wal=True)
    with closing(sqlite3.connect(db)) as writer:
        writer.execute("CREATE TABLE added_later (y INTEGER NOT NULL)")
        writer.commit()
        assert "busy.db-wal" in siblings(db)
        main_before = fingerprint(db)
        assert load(str(db), OPTIONS).table_names == ("added_later", "t")
        assert fingerprint(db) == main_before
        writer.execute("INSERT INTO t VALUES (1)")  # the writer is undisturbed
        writer.commit()
    assert siblings(db) == ["busy.db"]


def test_a_writer_during_an_immutable_read_triggers_a_normal_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The immutable read of a cleanly closed WAL file is only kept if nothing moved."""
    db = make_db(tmp_path / "race.db", "CREATE TABLE t (x);", wal=True)
    calls: list[str] = []

    def read_while_a_writer_commits(conn: sqlite3.Connection, origin: str | None = None) -> Schema:
        if not calls:
            with closing(sqlite3.connect(db)) as writer:
                writer.execute("CREATE TABLE raced (y)")
                writer.commit()
        calls.append("read")
        return read_schema(conn, origin)

    monkeypatch.setattr(sqlite_live, "read_schema", read_while_a_writer_commits)
    assert load(str(db), OPTIONS).table_names == ("raced", "t")
    assert calls == ["read", "read"]


# --- errors -------------------------------------------------------------------------------


def _error(spec: str) -> str:
    with pytest.raises(SourceError) as caught:
        load(spec, OPTIONS)
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_missing_file_is_an_error_and_is_not_created(tmp_path: Path) -> None:
    missing = tmp_path / "nope.db"
    assert "does not exist" in _error(str(missing))
    assert "does not exist" in _error(f"sqlite:///{missing}")
    assert not missing.exists()
    assert siblings(missing) == []


def test_not_a_database_directory_and_memory_are_errors(tmp_path: Path) -> None:
    text = tmp_path / "notes.db"
    text.write_text("this is not a database\n" * 10)
    assert _error(str(text)) == f"{str(text)!r} is not a SQLite database (its header is not SQLite's)"
    short = tmp_path / "short.db"
    short.write_bytes(b"abc")
    assert "is not a SQLite database" in _error(str(short))
    forged = tmp_path / "forged.db"  # SQLite's magic string, then garbage
    forged.write_bytes(b"SQLite format 3\x00" + b"\xff" * 200)
    assert _error(str(forged)) == f"{str(forged)!r} is not a SQLite database (file is not a database)"
    damaged = tmp_path / "damaged.db"  # a plausible header over an unreadable schema page
    damaged.write_bytes(b"SQLite format 3\x00\x10\x00\x01\x01\x00\x40\x20\x20" + bytes(4000))
    assert _error(str(damaged)) == f"cannot read SQLite database {str(damaged)!r}: database disk image is malformed"
    assert "is a directory" in _error(str(tmp_path))
    for spec in ("sqlite://", "sqlite:///", "sqlite:///:memory:", ":memory:"):
        assert "nothing to audit" in _error(spec), spec
    assert "names a host" in _error("sqlite://server/app.db")


# --- bulk reading -------------------------------------------------------------------------


def _tables_ddl(count: int) -> str:
    parts = []
    for i in range(count):
        parent = f"REFERENCES t{i - 1}(id) ON DELETE CASCADE" if i else ""
        parts.append(
            f"CREATE TABLE t{i} (id INTEGER PRIMARY KEY, parent_id INTEGER {parent}, code TEXT,"
            f" qty INTEGER CHECK (qty >= 0), CONSTRAINT uq_t{i} UNIQUE (code));"
            f"CREATE INDEX ix_t{i}_a ON t{i} (parent_id, code DESC);"
            f"CREATE INDEX ix_t{i}_b ON t{i} (lower(code)) WHERE qty > 0;"
        )
    return "\n".join(parts)


def test_query_count_does_not_grow_with_tables(tmp_path: Path) -> None:
    """The statements we execute; SQLite also traces the pragma calls it makes *inside* one
    statement for each table ("-- PRAGMA table_xinfo='t0'"), which are not round trips."""
    counts = []
    for size in (3, 30):
        db = make_db(tmp_path / f"n{size}.db", _tables_ddl(size))
        statements: list[str] = []
        with closing(sqlite3.connect(db)) as conn:
            conn.set_trace_callback(statements.append)
            schema = read_schema(conn)
        assert len(schema.tables) == size
        last = schema.table(f"t{size - 1}")
        assert last is not None
        assert last.checks == (CheckConstraint("qty >= 0", column="qty"),)
        assert last.uniques == (UniqueConstraint(("code",), f"uq_t{size - 1}"),)
        assert last.indexes[1] == Index(
            f"ix_t{size - 1}_b", (IndexElement("lower(code)", is_expression=True),), where="qty > 0"
        )
        assert any(s.startswith("-- PRAGMA index_xinfo") for s in statements)
        counts.append(sum(1 for s in statements if not s.startswith("--")))
    assert counts[0] == counts[1] == 5


def test_chinook(tmp_path: Path) -> None:
    db = tmp_path / "chinook.db"
    with closing(sqlite3.connect(db)) as conn:
        conn.executescript(corpus_file("chinook", "Chinook_Sqlite.sql").read_text(encoding="utf-8"))
    schema = load(f"sqlite:///{db}", OPTIONS)
    assert schema.table_names == (
        "Album", "Artist", "Customer", "Employee", "Genre", "Invoice", "InvoiceLine",
        "MediaType", "Playlist", "PlaylistTrack", "Track",
    )  # fmt: skip
    album = schema.table("album")
    assert album is not None
    assert album.columns[:2] == (
        col("AlbumId", "INTEGER", nullable=False, identity=Identity("rowid")),
        col("Title", "NVARCHAR(160)", nullable=False),
    )
    assert album.primary_key == PrimaryKey(("AlbumId",), "PK_Album")
    assert album.foreign_keys == (ForeignKey(("ArtistId",), "Artist", ("ArtistId",)),)
    assert album.indexes == (Index("IFK_AlbumArtistId", (IndexElement("ArtistId"),)),)
    playlist_track = schema.table("PlaylistTrack")
    assert playlist_track is not None
    assert playlist_track.primary_key == PrimaryKey(("PlaylistId", "TrackId"), "PK_PlaylistTrack")
    assert all(c.identity is None for c in playlist_track.columns)
    assert len(schema.table("Track").foreign_keys) == 3  # type: ignore[union-attr]
    assert schema.table("Invoice").column("total", SQLITE_RULES).type.precision == 10  # type: ignore[union-attr]


# --- the CREATE-text scanner --------------------------------------------------------------


def test_scanner_ignores_keywords_in_strings_quotes_and_comments() -> None:
    facts = scan_create_table(
        """CREATE TABLE "t (x, CHECK" (
            "CONSTRAINT a" TEXT DEFAULT 'CHECK (1), CONSTRAINT' -- CHECK (2),
            , [b, CHECK (3)] TEXT COLLATE "rtrim" /* CONSTRAINT x CHECK (4) */
            , `c``d` INT CONSTRAINT "c""k" CHECK ("c""k" <> ')(') CONSTRAINT unused NOT NULL
            , CONSTRAINT named_twice CHECK (1) CHECK (2)
        )"""
    )
    assert [(c.expression, c.name, c.column) for c in facts.checks] == [
        ('"c""k" <> \')(\'', 'c"k', "c`d"),
        ("1", "named_twice", None),
        ("2", None, None),  # a CONSTRAINT name names the one constraint that follows it
    ]
    assert facts.columns["b, CHECK (3)"].collation == "rtrim"


def test_scanner_named_constraints_in_one_token_or_word_by_word() -> None:
    """`CONSTRAINT name KIND` is lexed in one token when plainly spelled; quoted names,
    comments or a name that is itself a keyword go word by word. Same facts either way."""

    def facts(sql: str) -> tuple[object, ...]:
        f = scan_create_table(sql)
        fks = [(k.columns, k.ref_table, k.name, k.deferrable, k.initially_deferred) for k in f.foreign_keys]
        return f.primary_key_name, [(c.expression, c.name, c.column) for c in f.checks], f.uniques, fks

    plain = """CREATE TABLE t (a INT, b INT CONSTRAINT ck_b CHECK (b > (0)),
        CONSTRAINT pk_t PRIMARY KEY (a), CONSTRAINT uq_ab UNIQUE(a, b),
        CONSTRAINT fk_a FOREIGN KEY (a) REFERENCES p (id) DEFERRABLE INITIALLY DEFERRED,
        constraint ck_t check (a <> b))"""
    spelled_out = """CREATE TABLE t (a INT, b INT CONSTRAINT "ck_b" CHECK (b > (0)),
        CONSTRAINT /* pk */ pk_t PRIMARY KEY (a), CONSTRAINT [uq_ab] UNIQUE(a, b),
        CONSTRAINT `fk_a` FOREIGN KEY (a) REFERENCES p (id) DEFERRABLE INITIALLY DEFERRED,
        constraint -- why
        ck_t check (a <> b))"""
    expected = (
        "pk_t",
        [("b > (0)", "ck_b", "b"), ("a <> b", "ck_t", None)],
        [(("a", "b"), "uq_ab")],
        [(("a",), "p", "fk_a", True, True)],
    )
    assert facts(plain) == facts(spelled_out) == expected
    # a keyword as the name: the keyword is read as a keyword, and names nothing
    assert facts("CREATE TABLE t (a INT, CONSTRAINT unique CHECK (a > 0))")[1] == [("a > 0", None, None)]


PLAIN_TAIL = """CREATE TABLE t (a INT, b NUMERIC(12, 2) DEFAULT 'x', c TEXT,
    CONSTRAINT pk PRIMARY KEY (a), CONSTRAINT u UNIQUE(b, c),
    CONSTRAINT fk FOREIGN KEY (a, b) REFERENCES p (x, y) ON DELETE CASCADE ON UPDATE SET NULL,
    constraint Ck check (a IN (1, (2))))"""


@pytest.mark.parametrize(
    "sql",
    [
        "CREATE TABLE t (a INT, b NUMERIC(12, 2), c TEXT DEFAULT 'x', CONSTRAINT ck CHECK (a > 0))",
        "CREATE TABLE t (a NUMERIC(1, 2) CHECK (a > 0), b INT UNIQUE, CONSTRAINT u UNIQUE (b))",
        "CREATE TABLE t (a INT UNIQUE, b INT, CONSTRAINT u UNIQUE (a))",  # the unnamed one came first
        "CREATE TABLE t (a TEXT DEFAULT 'a,(b', b INT CONSTRAINT ck CHECK (b > 0))",
        "CREATE TABLE t (a TEXT DEFAULT 'it''s', b INT CONSTRAINT ck CHECK (b > 0))",
        "CREATE TABLE t (a INT AS (1), b INT CONSTRAINT ck CHECK (b > 0))",
        "CREATE TABLE t (a INT GENERATED ALWAYS AS IDENTITY (1), b INT CHECK (b > 0))",
        'CREATE TABLE t ("a, (b" INT, b INT CONSTRAINT ck CHECK (b > 0))',
        "CREATE TABLE t (a INT, -- a comment, (\n b INT CONSTRAINT ck CHECK (b > 0))",
        "CREATE TABLE t (a INT DEFAULT (CHECKSUM(1)), b INT CONSTRAINT ck CHECK (b > 0))",
        "CREATE TABLE t (checked INT, b INT REFERENCES p DEFERRABLE INITIALLY DEFERRED)",
        "CREATE TABLE t (a INT, b TEXT COLLATE nocase, c INTEGER PRIMARY KEY AUTOINCREMENT)",
        "CREATE TABLE t (a INT, b INT)",
        PLAIN_TAIL,
        "CREATE TABLE t (a INT, CONSTRAINT fk FOREIGN KEY (a) REFERENCES p (id) DEFERRABLE INITIALLY DEFERRED)",
        "CREATE TABLE t (a INT, CONSTRAINT fk FOREIGN KEY (a) REFERENCES check (id))",
        "CREATE TABLE t (a INT, CONSTRAINT fk FOREIGN KEY (a) REFERENCES p (id) MATCH FULL)",
        "CREATE TABLE t (a INT, CONSTRAINT u UNIQUE (a) ON CONFLICT IGNORE, CONSTRAINT ck CHECK (a > 0))",
        "CREATE TABLE t (a INT, CONSTRAINT ck CHECK (a > 'x'), CONSTRAINT u UNIQUE (a))",
        "CREATE TABLE t (a INT, CONSTRAINT ck CHECK ((((a > 0)))), CONSTRAINT u UNIQUE (a))",
        "CREATE TABLE t (a INT, CONSTRAINT ck CHECK (a > 0) NOT NULL)",
        "CREATE TABLE t (a INT, CONSTRAINT ck CHECK (a > 0), b INT COLLATE nocase)",
    ],
)
def test_scanner_shortcuts_find_what_a_whole_scan_finds(sql: str) -> None:
    """The scan may start at the item holding the first word that can carry facts, and
    read a tail of plainly spelled table constraints without the lexer; either way it must
    find exactly what a word-by-word scan of the whole text finds."""
    whole = _TableScanner(sql)
    whole.run()
    assert scan_create_table(sql) == whole.facts


def test_scanner_reads_a_tail_of_plain_constraints_in_one_go() -> None:
    scanner = _TableScanner(PLAIN_TAIL)
    assert scanner.plain_constraints(_resume_point(scanner.upper))  # the shortcut applies here
    facts = scanner.facts
    assert facts.primary_key_name == "pk"
    assert facts.uniques == [(("b", "c"), "u")]
    assert facts.foreign_keys == [ForeignKeyFacts(("a", "b"), "p", "fk")]
    assert facts.checks == [CheckFacts("a IN (1, (2))", "Ck", None)]


def test_scanner_index_text() -> None:
    facts = scan_create_index('CREATE INDEX "i x" ON t (lower(e) COLLATE nocase DESC, b) WHERE a IS NOT NULL;')
    assert [(e.expression, e.collation) for e in facts.elements] == [("lower(e)", "nocase"), ("b", None)]
    assert facts.where == "a IS NOT NULL"


# --- the demo database ------------------------------------------------------------------


def test_demo_database_is_deterministic_and_replaced(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("build_demo_db", EXAMPLES / "build_demo_db.py")
    assert spec is not None and spec.loader is not None
    demo = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(demo)
    target = tmp_path / "shop.db"
    target.write_text("an old, unrelated file")
    assert demo.main(["build_demo_db.py", str(target)]) == 0
    first = target.read_bytes()
    assert demo.main(["build_demo_db.py", str(target)]) == 0
    assert target.read_bytes() == first
    assert siblings(target) == ["shop.db"]
    schema = load(str(target), OPTIONS)
    assert schema.table_names == ("customers", "order_items", "orders", "products")
    assert schema.not_audited == ()
    assert [v.name for v in schema.objects.views] == ["order_totals"]
    orders = schema.table("orders")
    assert orders is not None
    assert orders.foreign_keys == (
        ForeignKey(("customer_id",), "customers", ("id",), "fk_orders_customer", on_delete="RESTRICT"),
    )
