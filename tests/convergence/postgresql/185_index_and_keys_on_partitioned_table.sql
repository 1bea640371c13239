-- expect: AddIndex AddPrimaryKey AddForeignKey
-- current
CREATE TABLE orders (id integer NOT NULL, placed date NOT NULL, customer text) PARTITION BY RANGE (placed);
CREATE TABLE orders_2024 PARTITION OF orders FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE orders_2025 PARTITION OF orders FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE shipment (id integer PRIMARY KEY, order_id integer, placed date);
INSERT INTO orders VALUES (1, '2024-05-01', 'ann'), (2, '2025-02-01', 'bob');
INSERT INTO shipment VALUES (10, 1, '2024-05-01');
-- desired
CREATE TABLE orders (id integer NOT NULL, placed date NOT NULL, customer text, PRIMARY KEY (id, placed))
    PARTITION BY RANGE (placed);
CREATE TABLE orders_2024 PARTITION OF orders FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE orders_2025 PARTITION OF orders FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE INDEX orders_customer_idx ON orders (customer);
CREATE UNIQUE INDEX orders_customer_placed_key ON orders (customer, placed);
CREATE TABLE shipment (
    id integer PRIMARY KEY,
    order_id integer,
    placed date,
    FOREIGN KEY (order_id, placed) REFERENCES orders (id, placed)
);
