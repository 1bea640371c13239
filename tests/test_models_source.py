"""The models source: SQLAlchemy models imported in a child process, read per dialect.

Each test writes a small models package into its own folder (unique package names, since
the fidelity tests also import them in this process) and loads it with the working
directory or `LoadOptions.path` pointing there. The fidelity tests are the strongest check:
the schema read from the models for a dialect must equal, change for change, what
`metadata.create_all()` builds on a real database of that dialect and the live source reads.
"""

from __future__ import annotations

import importlib
import sys
import textwrap
import uuid
from pathlib import Path

import pytest

from schemaudit.cli import main
from schemaudit.diff import compare
from schemaudit.errors import SchemauditError
from schemaudit.model import Identity, Origin, Schema
from schemaudit.sources import LoadOptions, load
from tests.conftest import ScratchDb

BASE = """\
import uuid

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, MetaData, String, Uuid, func, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=CONVENTION)


class Timestamps:
    created_at: Mapped[object] = mapped_column(DateTime(timezone=True), server_default=func.now())  # MIXIN
"""

SHOP = """\
import enum
import uuid

from sqlalchemy import (
    CheckConstraint, Computed, Enum, ForeignKey, Identity, Index, Integer, Numeric, String, Text,
    UniqueConstraint, Uuid, text,
)
from sqlalchemy.orm import Mapped, mapped_column, validates

from {pkg}.base import Base, Timestamps


class Status(enum.Enum):
    draft = "draft"
    live = "live"


class Customer(Timestamps, Base):
    __tablename__ = "customers"
    __table_args__ = (
        UniqueConstraint("email"),
        {{"comment": "people who buy"}},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(200), index=True, comment="login")  # EMAIL
    kind: Mapped[str] = mapped_column(String(20), default="person")
    code: Mapped[str] = mapped_column(String(12), unique=True, index=True)

    @validates("kind")
    def check_kind(self, key: str, value: str) -> str:  # VALIDATOR
        if value not in ("person", "company"):
            raise ValueError(value)
        return value


class Order(Base):
    __tablename__ = "orders"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="positive_quantity"),  # CHECK
        Index("ix_orders_lower_note", text("lower(note)")),
    )

    id: Mapped[int] = mapped_column(Integer, Identity(start=10), primary_key=True)
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customers.id", ondelete="cascade", onupdate="restrict")  # FK
    )
    status: Mapped[Status] = mapped_column(Enum(Status, name="order_status"), server_default="draft")
    flavour: Mapped[str] = mapped_column(
        Enum("sweet", "sour", name="flavour", native_enum=False, create_constraint=True)
    )
    quantity: Mapped[int] = mapped_column(Integer, server_default=text("1"))
    price: Mapped[float] = mapped_column(Numeric(10, 2))
    note: Mapped[str | None] = mapped_column(Text)
    note_key: Mapped[str | None] = mapped_column(Text, Computed("lower(note)", persisted=True))
    token: Mapped[uuid.UUID] = mapped_column(Uuid, default=uuid.uuid4)
"""

CORE = """\
from sqlalchemy import Column, ForeignKey, Integer, String, Table

from {pkg}.base import Base

audit_trail = Table(
    "audit_trail",
    Base.metadata,
    Column("id", Integer, primary_key=True),
    Column("customer_id", Integer, ForeignKey("customers.id", ondelete="SET NULL")),  # CORE_FK
    Column("what", String(50), nullable=False),
)
"""


def write_package(root: Path, name: str | None = None) -> str:
    """A models package under `root`; `extra.py` (the Core table) is not imported by
    `__init__.py`. Returns the package name."""
    pkg = name or f"shop_{uuid.uuid4().hex[:8]}"
    folder = root / pkg
    folder.mkdir(parents=True)
    (folder / "__init__.py").write_text(f"from {pkg}.base import Base\nfrom {pkg}.shop import Customer, Order\n")
    (folder / "base.py").write_text(BASE)
    (folder / "shop.py").write_text(SHOP.format(pkg=pkg))
    (folder / "extra.py").write_text(CORE.format(pkg=pkg))
    return pkg


def line_of(path: Path, marker: str) -> int:
    return next(i for i, text in enumerate(path.read_text().splitlines(), 1) if marker in text)


@pytest.fixture
def shop(tmp_path: Path) -> tuple[Path, str]:
    return tmp_path, write_package(tmp_path)


def load_models(root: Path, spec: str, dialect: str = "postgresql") -> Schema:
    return load(spec, LoadOptions(dialect=dialect, path=(str(root),)))


def test_package_import_finds_modules_left_out_of_init(shop: tuple[Path, str]) -> None:
    root, pkg = shop
    schema = load_models(root, f"models:{pkg}:Base")
    assert schema.table_names == ("audit_trail", "customers", "orders")  # extra.py is not in __init__
    assert schema.dialect == "postgresql"
    assert schema.origin == f"models:{pkg}:Base"


@pytest.mark.parametrize("attr", ["Base", "Base.metadata", None])
def test_spec_forms(shop: tuple[Path, str], attr: str | None) -> None:
    root, pkg = shop
    spec = f"models:{pkg}" + (f":{attr}" if attr else "")
    assert load_models(root, spec).table_names == ("audit_trail", "customers", "orders")


def test_postgresql_types_defaults_and_keys(shop: tuple[Path, str]) -> None:
    root, pkg = shop
    schema = load_models(root, f"models:{pkg}:Base")
    orders = schema.table("orders")
    assert orders is not None
    col = {c.name: c for c in orders.columns}
    assert col["status"].type.family.value == "enum"
    assert col["status"].type.values == ("draft", "live") and col["status"].type.name == "order_status"
    assert col["status"].default == "'draft'"
    assert col["token"].type.raw == "UUID"
    assert (col["price"].type.precision, col["price"].type.scale) == (10, 2)
    assert col["quantity"].default == "1"
    assert col["id"].identity == Identity("by default", None, 10, None)
    assert col["note_key"].generated is not None and col["note_key"].generated.stored is True
    assert col["note_key"].generated.expression == "lower(note)"
    fk = orders.foreign_keys[0]
    assert (fk.columns, fk.ref_table, fk.ref_columns) == (("customer_id",), "customers", ("id",))
    assert (fk.on_delete, fk.on_update, fk.name) == ("CASCADE", "RESTRICT", "fk_orders_customer_id_customers")
    # a native enum needs no CHECK; the non-native one gets its type-bound CHECK
    assert [c.expression for c in orders.checks] == ["flavour IN ('sweet', 'sour')", "quantity > 0"]
    assert [c.name for c in orders.checks] == ["ck_orders_flavour", "ck_orders_positive_quantity"]
    assert orders.checks[0].column == "flavour"  # bound to its column's type
    expression_index = next(i for i in orders.indexes if i.name == "ix_orders_lower_note")
    assert expression_index.elements[0].is_expression and expression_index.elements[0].expr == "lower(note)"
    customers = schema.table("customers")
    assert customers is not None and customers.comment == "people who buy"
    ccol = {c.name: c for c in customers.columns}
    assert ccol["id"].identity == Identity("serial")
    assert ccol["email"].comment == "login"
    assert ccol["created_at"].type.raw == "TIMESTAMP WITH TIME ZONE" and ccol["created_at"].default == "now()"
    # naming convention applied; unique=True + index=True is one unique index
    assert [(u.name, u.columns) for u in customers.uniques] == [("uq_customers_email", ("email",))]
    assert [(i.name, i.unique) for i in customers.indexes] == [
        ("ix_customers_code", True),
        ("ix_customers_email", False),
    ]


def test_sqlite_types_and_app_facts(shop: tuple[Path, str]) -> None:
    root, pkg = shop
    schema = load_models(root, f"models:{pkg}", dialect="sqlite")
    orders = schema.table("orders")
    customers = schema.table("customers")
    assert orders is not None and customers is not None
    col = {c.name: c for c in orders.columns}
    assert col["token"].type.raw == "CHAR(32)"
    assert col["status"].type.raw == "VARCHAR(5)"  # no native enum on SQLite
    assert col["id"].identity == Identity("rowid")  # no IDENTITY on SQLite: INTEGER PRIMARY KEY is the rowid
    assert {c.name: c for c in customers.columns}["id"].identity == Identity("rowid")
    assert {c.name: c for c in customers.columns}["created_at"].default == "CURRENT_TIMESTAMP"
    facts = {(f.kind, f.column): f for f in orders.app_facts}
    assert facts[("enum", "status")].values == ("draft", "live")  # checked only by SQLAlchemy here
    assert ("enum", "flavour") not in facts  # it has its CHECK
    assert facts[("default", "token")].detail == "uuid.uuid4()"
    shop_py = root / pkg / "shop.py"
    cfacts = {(f.kind, f.column): f for f in customers.app_facts}
    assert cfacts[("default", "kind")].detail == "'person'"
    validator = cfacts[("validates", "kind")]
    assert validator.detail == "@validates('kind') Customer.check_kind"
    assert validator.origin is not None and validator.origin.path == str(shop_py)  # outside the working directory
    assert validator.origin.line == line_of(shop_py, "# VALIDATOR")


def test_origins_point_at_classes_attributes_mixins_and_table_args(
    shop: tuple[Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root, pkg = shop
    monkeypatch.chdir(root)  # origins are relative to the working directory
    schema = load(f"models:{pkg}:Base", LoadOptions())
    shop_py, base_py, extra_py = root / pkg / "shop.py", root / pkg / "base.py", root / pkg / "extra.py"
    customers, orders, trail = schema.table("customers"), schema.table("orders"), schema.table("audit_trail")
    assert customers is not None and orders is not None and trail is not None
    assert customers.origin == Origin(f"{pkg}/shop.py", line_of(shop_py, "class Customer"))
    ccol = {c.name: c.origin for c in customers.columns}
    assert ccol["email"] == Origin(f"{pkg}/shop.py", line_of(shop_py, "# EMAIL"))
    assert ccol["created_at"] == Origin(f"{pkg}/base.py", line_of(base_py, "# MIXIN"))
    assert customers.indexes[1].origin == ccol["email"]  # index=True points at its column
    check = next(c for c in orders.checks if c.name == "ck_orders_positive_quantity")
    assert check.origin == Origin(f"{pkg}/shop.py", line_of(shop_py, "# CHECK"))
    assert orders.foreign_keys[0].origin == Origin(f"{pkg}/shop.py", line_of(shop_py, "customer_id: Mapped"))
    assert trail.origin == Origin(f"{pkg}/extra.py", line_of(extra_py, "audit_trail = Table("))
    assert {c.name: c.origin for c in trail.columns}["customer_id"] == Origin(
        f"{pkg}/extra.py", line_of(extra_py, "# CORE_FK")
    )


def _create_all(root: Path, pkg: str, url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import sqlalchemy as sa

    monkeypatch.syspath_prepend(str(root))
    module = importlib.import_module(pkg)
    for name in ("shop", "extra"):
        importlib.import_module(f"{pkg}.{name}")
    engine = sa.create_engine(url)
    try:
        module.Base.metadata.create_all(engine)
    finally:
        engine.dispose()
        for name in [m for m in sys.modules if m == pkg or m.startswith(pkg + ".")]:
            del sys.modules[name]


def test_fidelity_sqlite(shop: tuple[Path, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The models read for SQLite equal what create_all() builds in SQLite, change for change."""
    root, pkg = shop
    db = tmp_path / "built.db"
    _create_all(root, pkg, f"sqlite:///{db}", monkeypatch)
    target = load_models(root, f"models:{pkg}:Base", dialect="sqlite")
    current = load(f"sqlite:///{db}")
    assert compare(target, current).changes == ()


@pytest.mark.postgresql
def test_fidelity_postgresql(shop: tuple[Path, str], pg_db: ScratchDb, monkeypatch: pytest.MonkeyPatch) -> None:
    root, pkg = shop
    url = pg_db.url.replace("postgresql://", "postgresql+psycopg://", 1)
    _create_all(root, pkg, url, monkeypatch)
    target = load_models(root, f"models:{pkg}:Base", dialect="postgresql")
    current = load(pg_db.url)
    assert compare(target, current).changes == ()


def test_core_metadata_without_convention_and_tables_of_other_apps(tmp_path: Path) -> None:
    pkg = f"core_{uuid.uuid4().hex[:8]}"
    (tmp_path / f"{pkg}.py").write_text(
        "from sqlalchemy import Column, ForeignKey, Integer, MetaData, Table\n"
        "metadata = MetaData()\n"
        "t = Table('t', metadata, Column('id', Integer, primary_key=True),\n"
        "          Column('u', Integer, ForeignKey('users.id', ondelete='SET NULL')),\n"
        "          Column('v', Integer, ForeignKey('auth.accounts.id')))\n"
    )
    schema = load_models(tmp_path, f"models:{pkg}:metadata")
    table = schema.tables[0]
    assert table.primary_key is not None and table.primary_key.name is None  # unnamed: the database names it
    refs = [(f.ref_schema, f.ref_table, f.ref_columns, f.name, f.on_delete) for f in table.foreign_keys]
    assert refs == [(None, "users", ("id",), None, "SET NULL"), ("auth", "accounts", ("id",), None, "NO ACTION")]


INHERITANCE = """\
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class Employee(Base):
    __tablename__ = "employee"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str]
    email_address: Mapped[str] = mapped_column("email", String(100))  # KEYED
    boss = relationship("NotDefinedAnywhere")  # a broken relationship must not matter
    __mapper_args__ = {"polymorphic_identity": "employee", "polymorphic_on": "kind"}


class Manager(Employee):
    budget: Mapped[int | None]  # SINGLE_TABLE
    __mapper_args__ = {"polymorphic_identity": "manager"}


class Engineer(Employee):
    __tablename__ = "engineer"
    id: Mapped[int] = mapped_column(ForeignKey("employee.id"), primary_key=True)
    __mapper_args__ = {"polymorphic_identity": "engineer"}
"""


def test_inheritance_attribute_keys_and_broken_relationships(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pkg = f"staff_{uuid.uuid4().hex[:8]}"
    source = tmp_path / f"{pkg}.py"
    source.write_text(INHERITANCE)
    monkeypatch.chdir(tmp_path)
    schema = load(f"models:{pkg}", LoadOptions())
    assert schema.table_names == ("employee", "engineer")
    employee = schema.table("employee")
    assert employee is not None
    origins = {c.name: c.origin for c in employee.columns}
    assert origins["email"] == Origin(f"{pkg}.py", line_of(source, "# KEYED"))
    assert origins["budget"] == Origin(f"{pkg}.py", line_of(source, "# SINGLE_TABLE"))  # declared by the subclass


# ---- bad input: one line, exit 2 ------------------------------------------------------------


def run_cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(argv)
    err = capsys.readouterr().err
    return code, err


def _package(root: Path, files: dict[str, str]) -> str:
    pkg = f"bad_{uuid.uuid4().hex[:8]}"
    (root / pkg).mkdir()
    for name, text in {"__init__.py": "", **files}.items():
        (root / pkg / name).write_text(textwrap.dedent(text).replace("PKG", pkg))
    return pkg


@pytest.mark.parametrize(
    ("files", "spec_attr", "expected"),
    [
        (
            {"models.py": "import json\nimport pydantic_settings_missing_here\n"},
            ":Base",
            "cannot import PKG.models: PKG/models.py:2 needs 'pydantic_settings_missing_here', which is not "
            "installed (missing dependency pydantic_settings_missing_here)",
        ),
        (
            {"models.py": "x = 1\nraise RuntimeError('settings not configured')\n"},
            ":Base",
            "cannot import PKG.models: PKG/models.py:2 raised RuntimeError: settings not configured",
        ),
        (
            {"models.py": "def broken(:\n"},
            ":Base",
            "cannot import PKG.models: PKG/models.py:1: SyntaxError: invalid syntax",
        ),
        (
            {"models.py": "import sys\nsys.exit(3)\n"},
            ":Base",
            "cannot import PKG.models: PKG/models.py:2 raised called sys.exit(3)",
        ),
        ({"models.py": "Base = 1\n"}, ":Nope", "module PKG has no attribute 'Nope'"),
        (
            {"models.py": "Base = 1\n"},
            ":models.Base",
            "PKG:models.Base is a int, not a SQLAlchemy declarative base, registry, MetaData "
            "or an object with one in .metadata (Flask-SQLAlchemy's db)",
        ),
        (
            {"models.py": "Base = 1\n"},
            "",
            "no SQLAlchemy declarative base or MetaData found in PKG; name one, e.g. models:PKG:Base",
        ),
    ],
)
def test_bad_models_are_one_line_exit_2(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    files: dict[str, str],
    spec_attr: str,
    expected: str,
) -> None:
    pkg = _package(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    code, err = run_cli(["inspect", f"models:{pkg}{spec_attr}"], capsys)
    assert code == 2
    # a submodule of the package failed: the line says it can be skipped
    hint = " (pass --lenient to skip this module)" if expected.startswith("cannot import") else ""
    assert err == f"schemaudit: models:{pkg}{spec_attr}: {expected.replace('PKG', pkg)}{hint}\n"


def test_module_not_found_and_malformed_spec(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    code, err = run_cli(["inspect", "models:nowhere_pkg.models:Base"], capsys)
    assert code == 2 and "no module named 'nowhere_pkg' on the import path (.); pass --path DIR" in err
    assert err.count("\n") == 1
    code, err = run_cli(["inspect", "models:app models:Base"], capsys)
    assert code == 2 and "malformed models source" in err


def test_a_crashing_import_cannot_take_the_tool_down(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pkg = _package(tmp_path, {"models.py": "import os, sys\nprint('boom', file=sys.stderr)\nos._exit(7)\n"})
    monkeypatch.chdir(tmp_path)
    code, err = run_cli(["inspect", f"models:{pkg}:Base"], capsys)
    assert code == 2
    assert err == f"schemaudit: models:{pkg}:Base: the child process exited with code 7 without a result: boom\n"


def test_prints_at_import_do_not_corrupt_the_result_and_no_bytecode_is_written(shop: tuple[Path, str]) -> None:
    root, pkg = shop
    (root / pkg / "noisy.py").write_text("print('hello from the app')\nprint('{not json')\n")
    assert load_models(root, f"models:{pkg}:Base").table_names == ("audit_trail", "customers", "orders")
    assert not list(root.rglob("__pycache__"))


def test_unknown_dialect(shop: tuple[Path, str]) -> None:
    root, pkg = shop
    with pytest.raises(SchemauditError, match="unknown dialect 'oracle'"):
        load(f"models:{pkg}:Base", LoadOptions(dialect="oracle", path=(str(root),)))
