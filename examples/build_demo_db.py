"""(Re)create the example shop database that `make demo` inspects.

Usage: python examples/build_demo_db.py examples/shop.db

A small but realistic schema: customers, products, orders and order lines, with foreign
keys (cascading and restricting), indexes (composite, DESC, unique, partial), CHECK
constraints and a view, plus a few rows. The result is deterministic: no clock, no random
values; the file is built beside the target and moved over it, so an existing demo file is
replaced whole (never half-written) and no stale -wal/-journal file is left next to it.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from contextlib import closing
from pathlib import Path

SCHEMA = """
CREATE TABLE customers (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL COLLATE NOCASE,
    full_name TEXT NOT NULL,
    country CHAR(2) NOT NULL DEFAULT 'US',
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT uq_customers_email UNIQUE (email),
    CONSTRAINT ck_customers_country CHECK (length(country) = 2)
);

CREATE TABLE products (
    id INTEGER PRIMARY KEY,
    sku VARCHAR(32) NOT NULL UNIQUE,
    name VARCHAR(200) NOT NULL,
    price_cents INTEGER NOT NULL CHECK (price_cents >= 0),
    active BOOLEAN NOT NULL DEFAULT 1
);

CREATE TABLE orders (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id INTEGER NOT NULL
        CONSTRAINT fk_orders_customer REFERENCES customers (id) ON DELETE RESTRICT,
    status VARCHAR(20) NOT NULL DEFAULT 'new',
    placed_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT ck_orders_status CHECK (status IN ('new', 'paid', 'shipped', 'cancelled'))
);

CREATE TABLE order_items (
    order_id INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    line_no INTEGER NOT NULL,
    product_id INTEGER NOT NULL REFERENCES products (id),
    quantity INTEGER NOT NULL DEFAULT 1 CHECK (quantity > 0),
    unit_price_cents INTEGER NOT NULL,
    PRIMARY KEY (order_id, line_no)
);

CREATE INDEX ix_orders_customer_placed ON orders (customer_id, placed_at DESC);
CREATE INDEX ix_orders_open ON orders (status) WHERE status IN ('new', 'paid');
CREATE INDEX ix_order_items_product ON order_items (product_id);
CREATE UNIQUE INDEX ux_products_name ON products (lower(name));

CREATE VIEW order_totals AS
    SELECT o.id AS order_id, o.customer_id, SUM(i.quantity * i.unit_price_cents) AS total_cents
    FROM orders o JOIN order_items i ON i.order_id = o.id
    GROUP BY o.id, o.customer_id;
"""

DATA = """
INSERT INTO customers (id, email, full_name, country, created_at) VALUES
    (1, 'ada@example.com', 'Ada Lovelace', 'GB', '2024-01-05 09:00:00'),
    (2, 'grace@example.com', 'Grace Hopper', 'US', '2024-02-11 14:30:00');
INSERT INTO products (id, sku, name, price_cents) VALUES
    (1, 'MUG-001', 'Enamel mug', 1200),
    (2, 'TEE-042', 'Cotton tee', 2500),
    (3, 'PEN-007', 'Fountain pen', 4800);
INSERT INTO orders (id, customer_id, status, placed_at) VALUES
    (1, 1, 'shipped', '2024-03-01 10:15:00'),
    (2, 2, 'paid', '2024-03-02 16:40:00');
INSERT INTO order_items (order_id, line_no, product_id, quantity, unit_price_cents) VALUES
    (1, 1, 1, 2, 1200),
    (1, 2, 3, 1, 4800),
    (2, 1, 2, 3, 2500);
"""


def build(target: Path) -> None:
    """Write the demo database to `target`, replacing whatever is there."""
    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = target.with_name(target.name + ".building")
    _remove(scratch)
    with closing(sqlite3.connect(scratch)) as conn:
        conn.execute("PRAGMA foreign_keys = ON")  # so the sample rows are proven consistent
        conn.executescript(SCHEMA + DATA)
        conn.commit()
    for suffix in ("-wal", "-shm", "-journal"):
        _remove(target.with_name(target.name + suffix))
    os.replace(scratch, target)


def _remove(path: Path) -> None:
    if path.exists():
        path.unlink()


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python examples/build_demo_db.py PATH.db", file=sys.stderr)
        return 2
    target = Path(argv[1])
    build(target)
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
