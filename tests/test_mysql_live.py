"""The live MySQL/MariaDB source against a real server: every catalog feature, bad input,
read-only sessions and a fixed number of catalog queries."""

from __future__ import annotations

import sys
import uuid
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy.engine import make_url

from schemaudit.errors import SourceError
from schemaudit.identifiers import mysql_rules
from schemaudit.model import (
    CheckConstraint,
    Column,
    ForeignKey,
    Generated,
    Identity,
    Index,
    IndexElement,
    PrimaryKey,
    SchemaObject,
    Table,
    TableOptions,
    TypeFamily,
    UniqueConstraint,
)
from schemaudit.sources import LoadOptions
from schemaudit.sources import load as load_any
from schemaudit.sources.live.mysql import (
    DRIVER_MISSING,
    build_schema,
    load,
    normalize_default,
    read_only_session,
)
from schemaudit.sources.live.mysql_catalog import Catalog, ServerInfo, read_catalog, read_server
from schemaudit.sources.urls import parse_db_url
from schemaudit.types import parse_type

pytestmark = pytest.mark.mysql

DDL = [
    """CREATE TABLE `Accounts` (
        id INT NOT NULL AUTO_INCREMENT,
        region CHAR(2) NOT NULL,
        code VARCHAR(20) NOT NULL,
        PRIMARY KEY (id),
        UNIQUE KEY uq_accounts_code (code),
        UNIQUE KEY uq_accounts_region_code (region, code)
    ) ENGINE=InnoDB COMMENT='accounts we bill'""",
    """CREATE TABLE `order` (
        `Account Id` INT NOT NULL,
        `select` INT NOT NULL,
        `b``tick` VARCHAR(10) DEFAULT 'it''s',
        `Region` CHAR(2),
        `Code` VARCHAR(20),
        amount DECIMAL(10,2) NOT NULL DEFAULT 0.00 COMMENT 'in euros',
        qty INT DEFAULT 1 CHECK (qty < 1000),
        flag TINYINT(1) NOT NULL DEFAULT 0,
        status ENUM('new','paid','it''s') NOT NULL DEFAULT 'new',
        tags SET('a','b') DEFAULT 'a,b',
        doc JSON,
        created DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
        updated TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
        due DATE DEFAULT (CURRENT_DATE + INTERVAL 30 DAY),
        total DECIMAL(12,2) AS (amount * qty) VIRTUAL,
        total_stored DECIMAL(12,2) AS (amount * qty) STORED,
        note VARCHAR(200) COLLATE utf8mb4_bin,
        body LONGTEXT,
        PRIMARY KEY (`Account Id`, `select`),
        KEY ix_order_created_desc (created DESC, qty),
        KEY ix_order_note_prefix (note(10)),
        UNIQUE KEY uq_order_code_prefix (`Code`(5)),
        CONSTRAINT fk_order_account FOREIGN KEY (`Account Id`) REFERENCES `Accounts` (id)
            ON DELETE CASCADE ON UPDATE RESTRICT,
        CONSTRAINT fk_order_region_code FOREIGN KEY (`Region`, `Code`) REFERENCES `Accounts` (region, code)
            ON DELETE SET NULL ON UPDATE CASCADE,
        CONSTRAINT chk_amount CHECK (amount >= 0)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci
      COMMENT='orders, one per account and slot'""",
    """CREATE TABLE order_lines (
        id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
        account_id INT NOT NULL,
        slot INT NOT NULL,
        line_no SMALLINT NOT NULL,
        UNIQUE KEY uq_lines (account_id, slot, line_no),
        UNIQUE KEY uq_lines_desc (line_no DESC, id),
        CONSTRAINT fk_lines_order FOREIGN KEY (account_id, slot) REFERENCES `order` (`Account Id`, `select`)
    )""",
    """CREATE TABLE `odd ``table`` Name` (
        `Id` INT NOT NULL PRIMARY KEY,
        `weird ``col``` INT,
        KEY `ix weird` (`weird ``col```)
    )""",
    "CREATE TABLE docs (id INT NOT NULL PRIMARY KEY, body TEXT, FULLTEXT KEY ft_docs_body (body)) "
    "ENGINE=MyISAM DEFAULT CHARSET=latin1",
    "CREATE TABLE log_parts (id INT NOT NULL PRIMARY KEY) PARTITION BY HASH (id) PARTITIONS 2",
    "CREATE VIEW open_orders AS SELECT `Account Id`, `select` FROM `order` WHERE status = 'new'",
    "CREATE TRIGGER trg_accounts_code BEFORE INSERT ON `Accounts` FOR EACH ROW SET NEW.code = UPPER(NEW.code)",
    "CREATE PROCEDURE refresh_totals() SELECT 1",
    "CREATE FUNCTION order_count() RETURNS INT READS SQL DATA RETURN (SELECT COUNT(*) FROM `order`)",
    "CREATE SEQUENCE invoice_seq",
    "CREATE EVENT nightly_cleanup ON SCHEDULE EVERY 1 DAY DO DELETE FROM order_lines WHERE id < 0",
]


def col(name: str, raw: str, nullable: bool = True, **facts: Any) -> Column:
    """An expected column; the type comes from `parse_type`, tested on its own."""
    return Column(name, parse_type(raw, "mysql"), nullable, **facts)


def el(expr: str, descending: bool = False, length: int | None = None) -> IndexElement:
    return IndexElement(expr, descending=descending, length=length)


INNODB = TableOptions(engine="InnoDB")
AUTO = Identity("auto_increment")

EXPECTED = {
    "Accounts": Table(
        name="Accounts",
        columns=(
            col("id", "int(11)", False, identity=AUTO),
            col("region", "char(2)", False),
            col("code", "varchar(20)", False),
        ),
        primary_key=PrimaryKey(("id",)),
        uniques=(
            UniqueConstraint(("code",), "uq_accounts_code"),
            UniqueConstraint(("region", "code"), "uq_accounts_region_code"),
        ),
        comment="accounts we bill",
        options=INNODB,
    ),
    "order": Table(
        name="order",
        columns=(
            col("Account Id", "int(11)", False),
            col("select", "int(11)", False),
            col("b`tick", "varchar(10)", default="'it''s'"),
            col("Region", "char(2)"),
            col("Code", "varchar(20)"),
            col("amount", "decimal(10,2)", False, default="0.00", comment="in euros"),
            col("qty", "int(11)", default="1"),
            col("flag", "tinyint(1)", False, default="0"),
            col("status", "enum('new','paid','it''s')", False, default="'new'"),
            col("tags", "set('a','b')", default="'a,b'"),
            col("doc", "json"),  # MariaDB: LONGTEXT + CHECK json_valid, reported as json
            col("created", "datetime(6)", False, default="current_timestamp(6)"),
            col("updated", "timestamp", False, default="current_timestamp()", on_update="current_timestamp()"),
            col("due", "date", default="(curdate() + interval 30 day)"),
            col("total", "decimal(12,2)", generated=Generated("`amount` * `qty`", stored=False)),
            col("total_stored", "decimal(12,2)", generated=Generated("`amount` * `qty`", stored=True)),
            col("note", "varchar(200)", collation="utf8mb4_bin"),
            col("body", "longtext"),
        ),
        primary_key=PrimaryKey(("Account Id", "select")),
        foreign_keys=(
            ForeignKey(("Account Id",), "Accounts", ("id",), "fk_order_account", "CASCADE", "NO ACTION"),
            ForeignKey(
                ("Region", "Code"), "Accounts", ("region", "code"), "fk_order_region_code", "SET NULL", "CASCADE"
            ),
        ),
        indexes=(
            Index("fk_order_region_code", (el("Region"), el("Code"))),  # created by InnoDB for the FK
            Index("ix_order_created_desc", (el("created", descending=True), el("qty"))),
            Index("ix_order_note_prefix", (el("note", length=10),)),
            Index("uq_order_code_prefix", (el("Code", length=5),), unique=True),
        ),
        checks=(
            CheckConstraint("`amount` >= 0", "chk_amount"),
            CheckConstraint("`qty` < 1000", "qty", column="qty"),
        ),
        comment="orders, one per account and slot",
        options=TableOptions(engine="InnoDB", charset="utf8mb4", collation="utf8mb4_general_ci"),
    ),
    "order_lines": Table(
        name="order_lines",
        columns=(
            col("id", "bigint(20) unsigned", False, identity=AUTO),
            col("account_id", "int(11)", False),
            col("slot", "int(11)", False),
            col("line_no", "smallint(6)", False),
        ),
        primary_key=PrimaryKey(("id",)),
        foreign_keys=(ForeignKey(("account_id", "slot"), "order", ("Account Id", "select"), "fk_lines_order"),),
        indexes=(Index("uq_lines_desc", (el("line_no", descending=True), el("id")), unique=True),),
        uniques=(UniqueConstraint(("account_id", "slot", "line_no"), "uq_lines"),),
        options=INNODB,
    ),
    "odd `table` Name": Table(
        name="odd `table` Name",
        columns=(col("Id", "int(11)", False), col("weird `col`", "int(11)")),
        primary_key=PrimaryKey(("Id",)),
        indexes=(Index("ix weird", (el("weird `col`"),)),),
        options=INNODB,
    ),
    "docs": Table(
        name="docs",
        columns=(col("id", "int(11)", False), col("body", "text")),
        primary_key=PrimaryKey(("id",)),
        indexes=(Index("ft_docs_body", (el("body"),), method="fulltext"),),
        options=TableOptions(engine="MyISAM", charset="latin1", collation="latin1_swedish_ci"),
    ),
    "log_parts": Table(
        name="log_parts",
        columns=(col("id", "int(11)", False),),
        primary_key=PrimaryKey(("id",)),
        options=TableOptions(engine="InnoDB", partitioned=True, partitioning="PARTITION BY HASH (`id`) PARTITIONS 2"),
    ),
}


@pytest.fixture
def feature_db(mysql_db: Any) -> Any:
    mysql_db.execute(DDL)
    return mysql_db


def test_every_table_is_read_exactly(feature_db: Any) -> None:
    """A table that names no charset takes the database's default, which the server chooses."""
    with read_only_session(parse_db_url(feature_db.url)) as conn:
        cur = conn.cursor()
        cur.execute(
            "SELECT DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME FROM information_schema.SCHEMATA "
            "WHERE SCHEMA_NAME = %s",
            (feature_db.name,),
        )
        charset, collation = cur.fetchone()
    schema = load(feature_db.url, LoadOptions())
    assert schema.table_names == tuple(sorted(EXPECTED))
    for table in schema.tables:
        expected = EXPECTED[table.name]
        if expected.options.charset is None:
            expected = replace(expected, options=replace(expected.options, charset=charset, collation=collation))
        assert table == expected, table.name


def test_schema_level_facts(feature_db: Any) -> None:
    schema = load(feature_db.url, LoadOptions())
    assert schema.dialect == "mysql"
    assert schema.name == feature_db.name
    assert schema.origin == feature_db.url  # no password in the fixture URL: shown as is
    assert schema.rules == mysql_rules(0)  # the test server keeps table names case-sensitive
    # views, triggers, routines and events are objects (below); a sequence is only listed
    assert schema.not_audited == (SchemaObject("sequence", "invoice_seq"),)
    objects = schema.objects
    assert [(v.name, v.depends_on) for v in objects.views] == [("open_orders", ("order",))]
    view = objects.views[0]
    assert view.definition.startswith("CREATE ALGORITHM=UNDEFINED SQL SECURITY DEFINER VIEW `open_orders` AS select")
    assert "DEFINER=`" not in view.definition and f"`{feature_db.name}`." not in view.definition
    assert view.options == ("algorithm=UNDEFINED", "security=DEFINER")
    assert [(r.name, r.kind) for r in objects.routines] == [
        ("order_count", "function"),
        ("refresh_totals", "procedure"),
    ]
    assert objects.routines[0].definition.startswith("CREATE FUNCTION `order_count`() RETURNS int")
    trigger = objects.triggers[0]
    assert (trigger.name, trigger.table, trigger.timing, trigger.events) == (
        "trg_accounts_code",
        "Accounts",
        "BEFORE",
        ("INSERT",),
    )
    assert trigger.definition.endswith("FOR EACH ROW SET NEW.code = UPPER(NEW.code)") and trigger.sql_mode
    assert [e.name for e in objects.events] == ["nightly_cleanup"]
    assert "DO DELETE FROM order_lines WHERE id < 0" in objects.events[0].definition
    order = schema.table("ORDER")
    assert order is None  # lower_case_table_names=0: table names are case-sensitive
    flag = schema.tables[schema.table_names.index("order")].column("FLAG", schema.rules)
    assert flag is not None and flag.type.family is TypeFamily.INTEGER  # tinyint(1) is no boolean
    status = EXPECTED["order"].column("status")
    assert status is not None and status.type.values == ("new", "paid", "it's")


def test_registry_accepts_every_spelling(feature_db: Any) -> None:
    url = make_url(feature_db.url)
    for scheme in ("mysql", "mysql+pymysql", "mariadb+pymysql"):
        spec = url.set(drivername=scheme).render_as_string(hide_password=False)
        assert load_any(spec).table_names == tuple(sorted(EXPECTED))


def test_schema_option_overrides_the_url_database(feature_db: Any) -> None:
    spec = _with_database(feature_db.url, "no_such_database_here")
    schema = load(spec, LoadOptions(schema=feature_db.name))
    assert schema.name == feature_db.name
    assert schema.table_names == tuple(sorted(EXPECTED))


def test_mariadb_json_columns(mysql_db: Any) -> None:
    """JSON is LONGTEXT + CHECK json_valid(`col`) on MariaDB; a column CHECK written by the user
    replaces that automatic check, after which the catalog no longer shows the column was JSON."""
    mysql_db.execute(
        "CREATE TABLE j (id INT PRIMARY KEY, `a``b` JSON NOT NULL DEFAULT '{}', "
        "c JSON CHECK (json_length(c) > 0), d LONGTEXT)"
    )
    (table,) = load(mysql_db.url, LoadOptions()).tables
    assert table.columns == (
        col("id", "int(11)", False),
        col("a`b", "json", False, default="'{}'"),
        col("c", "longtext", collation="utf8mb4_bin"),
        col("d", "longtext"),
    )
    assert table.checks == (CheckConstraint("json_length(`c`) > 0", "c", column="c"),)


# --- bad input: one clear line, never the password -------------------------------------------


def _assert_clean_error(exc: pytest.ExceptionInfo[SourceError], *secrets: str) -> str:
    message = str(exc.value)
    assert message and "\n" not in message
    for secret in secrets:
        assert secret not in message
    return message


def test_unreachable_server() -> None:
    with pytest.raises(SourceError) as exc:
        load("mysql+pymysql://root:Unreach-S3cret@127.0.0.1:1/app", LoadOptions())
    message = _assert_clean_error(exc, "Unreach-S3cret")
    assert message.startswith("cannot connect to mysql+pymysql://root:***@127.0.0.1:1/app")


@pytest.fixture
def password_user(mysql_db: Any) -> Iterator[tuple[str, str]]:
    """A user with a password and read access to the scratch database, dropped afterwards."""
    user, password = f"sa_{uuid.uuid4().hex[:8]}", f"Right-{uuid.uuid4().hex[:8]}"
    mysql_db.execute(
        [f"CREATE USER '{user}'@'%' IDENTIFIED BY '{password}'", f"GRANT SELECT ON `{mysql_db.name}`.* TO '{user}'@'%'"]
    )
    try:
        yield user, password
    finally:
        mysql_db.execute(f"DROP USER IF EXISTS '{user}'@'%'")


def test_wrong_password(mysql_db: Any, password_user: tuple[str, str]) -> None:
    user, password = password_user
    url = make_url(mysql_db.url).set(username=user)
    right = url.set(password=password).render_as_string(hide_password=False)
    assert load(right, LoadOptions()).name == mysql_db.name
    wrong_password = "Wrong-" + password
    wrong = url.set(password=wrong_password).render_as_string(hide_password=False)
    with pytest.raises(SourceError) as exc:
        load(wrong, LoadOptions())
    message = _assert_clean_error(exc, wrong_password, password)
    assert "Access denied" in message and f"{user}:***@" in message


def test_unknown_database(mysql_db: Any) -> None:
    with pytest.raises(SourceError) as exc:
        load(_with_database(mysql_db.url, "no_such_database_here"), LoadOptions())
    assert "unknown database 'no_such_database_here'" in _assert_clean_error(exc)
    with pytest.raises(SourceError):
        load(mysql_db.url, LoadOptions(schema="no_such_database_either"))


def test_no_database_in_url() -> None:
    with pytest.raises(SourceError) as exc:
        load("mysql+pymysql://root:NoDb-S3cret@127.0.0.1:3306", LoadOptions())
    assert "no database given" in _assert_clean_error(exc, "NoDb-S3cret")


def test_malformed_url() -> None:
    with pytest.raises(SourceError) as exc:
        load("mysql+pymysql://root:Bad-S3cret@127.0.0.1:notaport/app", LoadOptions())
    assert "malformed database URL" in _assert_clean_error(exc, "Bad-S3cret")


def test_missing_driver(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pymysql", None)  # makes `import pymysql` fail
    with pytest.raises(SourceError) as exc:
        load("mysql+pymysql://root:Drv-S3cret@127.0.0.1:3306/app", LoadOptions())
    assert _assert_clean_error(exc, "Drv-S3cret") == DRIVER_MISSING


# --- read-only, bulk ---------------------------------------------------------------------------


def test_session_is_read_only(mysql_db: Any) -> None:
    import pymysql

    mysql_db.execute("CREATE TABLE kept (id INT PRIMARY KEY)")
    with read_only_session(parse_db_url(mysql_db.url)) as conn:
        cur = conn.cursor()
        for statement in (
            f"INSERT INTO `{mysql_db.name}`.kept VALUES (1)",
            f"CREATE TABLE `{mysql_db.name}`.made (id INT)",
            f"DROP TABLE `{mysql_db.name}`.kept",
        ):
            with pytest.raises(pymysql.err.OperationalError, match="READ ONLY"):
                cur.execute(statement)
    schema = load(mysql_db.url, LoadOptions())
    assert schema.table_names == ("kept",)


def _tables_ddl(start: int, stop: int) -> list[str]:
    """Tables with a key, a unique key, an index, a check and a foreign key each."""
    return [
        f"CREATE TABLE t{i:03d} (id INT PRIMARY KEY AUTO_INCREMENT, parent_id INT, code VARCHAR(9), "
        f"n INT DEFAULT 0 CHECK (n >= 0), UNIQUE KEY uq_{i} (code), KEY ix_{i} (n DESC)"
        + (f", CONSTRAINT fk_{i} FOREIGN KEY (parent_id) REFERENCES t{i - 1:03d} (id))" if i else ")")
        for i in range(start, stop)
    ]


def test_number_of_queries_is_fixed(mysql_db: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import pymysql.cursors

    statements: list[str] = []
    execute = pymysql.cursors.Cursor.execute

    def counting(self: Any, query: str, args: Any = None) -> Any:
        statements.append(query)
        return execute(self, query, args)

    def count_for_load() -> tuple[int, int]:
        statements.clear()
        with monkeypatch.context() as patch:
            patch.setattr(pymysql.cursors.Cursor, "execute", counting)
            schema = load(mysql_db.url, LoadOptions())
        return len(statements), len(schema.tables)

    mysql_db.execute(_tables_ddl(0, 3))
    few, tables = count_for_load()
    assert tables == 3
    mysql_db.execute(_tables_ddl(3, 30))
    many, tables = count_for_load()
    assert tables == 30
    assert few == many <= 15


def test_mysql8_check_catalog_shape_on_a_real_server(feature_db: Any) -> None:
    """MySQL 8 files checks by schema-unique name (no TABLE_NAME): the join via
    TABLE_CONSTRAINTS gives the same checks, only without column attribution."""
    with read_only_session(parse_db_url(feature_db.url)) as conn:
        cur = conn.cursor()
        server, _ = read_server(cur, feature_db.name)
        mysql8 = ServerInfo("8.0.36", 0, frozenset({"CONSTRAINT_NAME", "CHECK_CLAUSE"}), frozenset())
        rows = read_catalog(cur, feature_db.name, mysql8).checks
    assert sorted(rows) == [
        ("order", "chk_amount", "`amount` >= 0", None),
        ("order", "doc", "json_valid(`doc`)", None),
        ("order", "qty", "`qty` < 1000", None),
    ]
    assert server.is_mariadb and server.quoted_defaults and "LEVEL" in server.check_columns


def test_mysql8_functional_index_rows() -> None:
    """STATISTICS rows as MySQL 8 returns them for a functional index (no server needed)."""
    catalog = Catalog(
        tables=[("users", "BASE TABLE", "InnoDB", "", "utf8mb4_0900_ai_ci", "", "utf8mb4")],
        columns=[("users", "email", 1, "varchar(100)", "NO", None, "", "", "", "utf8mb4_0900_ai_ci")],
        statistics=[
            ("users", "ix_lower", 1, 1, None, "A", None, "BTREE", "lower(`email`)", ""),
            ("users", "uq_email", 0, 1, "email", "A", None, "BTREE", None, ""),
        ],
        fk_columns=[],
        fk_rules=[],
        checks=[],
        triggers=[],
        routines=[],
        events=[],
    )
    schema = build_schema(catalog, ServerInfo("8.0.36", 0), "app", "mysql://h/app")
    assert schema.tables[0] == Table(
        name="users",
        columns=(col("email", "varchar(100)", False),),
        indexes=(Index("ix_lower", (IndexElement("lower(`email`)", is_expression=True),)),),
        uniques=(UniqueConstraint(("email",), "uq_email"),),
        options=TableOptions(engine="InnoDB", charset="utf8mb4", collation="utf8mb4_0900_ai_ci"),
    )


@pytest.mark.parametrize(
    ("raw", "extra", "type_raw", "expected"),
    [
        (None, "", "varchar(10)", None),
        ("it's", "", "varchar(10)", "'it''s'"),
        ("a\\b", "", "varchar(10)", "'a\\\\b'"),
        ("NULL", "", "varchar(10)", "'NULL'"),  # MySQL: DEFAULT NULL is SQL NULL, so this is a string
        ("42", "", "int", "42"),
        ("-1.50", "", "decimal(10,2)", "-1.50"),
        ("42", "", "varchar(10)", "'42'"),
        ("CURRENT_TIMESTAMP", "DEFAULT_GENERATED", "timestamp", "CURRENT_TIMESTAMP"),
        ("CURRENT_TIMESTAMP(6)", "", "datetime(6)", "CURRENT_TIMESTAMP(6)"),  # MySQL 5.7
        ("(1 + 2)", "DEFAULT_GENERATED", "int", "(1 + 2)"),
        ("b'101'", "", "bit(3)", "b'101'"),
        ("2020-01-01", "", "date", "'2020-01-01'"),
    ],
)
def test_mysql_defaults_become_sql(raw: str | None, extra: str, type_raw: str, expected: str | None) -> None:
    assert normalize_default(raw, extra, parse_type(type_raw, "mysql"), quoted=False) == expected


@pytest.mark.parametrize(
    ("raw", "expected"), [(None, None), ("NULL", None), ("'NULL'", "'NULL'"), ("'it''s'", "'it''s'"), ("7", "7")]
)
def test_mariadb_defaults_are_already_sql(raw: str | None, expected: str | None) -> None:
    assert normalize_default(raw, "", parse_type("varchar(9)", "mysql"), quoted=True) == expected


def _with_database(url: str, database: str) -> str:
    return make_url(url).set(database=database).render_as_string(hide_password=False)
