"""Models whose database objects beyond tables come from DDL listeners, the way projects
write them: a PostgreSQL trigger function and trigger, a MySQL trigger, a sequence, a native
enum, a computed column, a view made by SQLAlchemy's wiki recipe (a `DDLElement` compiled
per dialect, listened on the MetaData) and a Table that stands for a view (`info`)."""

from __future__ import annotations

import enum
from typing import Any

import sqlalchemy as sa
from sqlalchemy import DDL, event
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.schema import DDLElement


class Base(DeclarativeBase):
    pass


class Status(enum.Enum):
    open = "open"
    shipped = "shipped"


invoice_numbers = sa.Sequence("invoice_number_seq", metadata=Base.metadata, start=1000, increment=10)


class Order(Base):
    __tablename__ = "orders"
    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[Status] = mapped_column(sa.Enum(Status, name="order_status"))
    quantity: Mapped[int]
    unit_price: Mapped[int]
    # nullable: MariaDB refuses NOT NULL on a generated column, which SQLAlchemy omits there
    total: Mapped[int | None] = mapped_column(sa.Computed("quantity * unit_price", persisted=True))
    touched: Mapped[Any] = mapped_column(sa.DateTime, nullable=True)


class CreateView(DDLElement):
    """The SQLAlchemy wiki's view recipe."""

    def __init__(self, name: str, selectable: Any) -> None:
        self.name = name
        self.selectable = selectable


@compiles(CreateView)
def _create_view(element: CreateView, compiler: Any, **kw: Any) -> str:
    query = compiler.sql_compiler.process(element.selectable, literal_binds=True)
    return f"CREATE VIEW {element.name} AS {query}"


open_orders = sa.select(Order.__table__.c.id, Order.__table__.c.total).where(Order.__table__.c.status == "open")
event.listen(Base.metadata, "after_create", CreateView("open_orders", open_orders))

# a view created elsewhere (a migration), mapped as a table so the ORM can read it
order_totals = sa.Table(
    "order_totals",
    Base.metadata,
    sa.Column("status", sa.String(20)),
    sa.Column("revenue", sa.Integer),
    info={"is_view": True},
)

event.listen(
    Base.metadata,
    "before_create",
    DDL(
        "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$\n"
        "BEGIN\n    NEW.touched := now();\n    RETURN NEW;\nEND\n$$"
    ).execute_if(dialect="postgresql"),
)
event.listen(
    Order.__table__,
    "after_create",
    DDL(
        "CREATE TRIGGER orders_touch BEFORE UPDATE ON %(table)s FOR EACH ROW EXECUTE FUNCTION touch()"
    ).execute_if(dialect="postgresql"),
)
event.listen(
    Order.__table__,
    "after_create",
    DDL("CREATE TRIGGER orders_touch BEFORE UPDATE ON %(table)s FOR EACH ROW SET NEW.touched = NOW()").execute_if(
        dialect=("mysql", "mariadb")
    ),
)
