-- expect: AddCheck AddUnique
-- current
CREATE TABLE orders (id INTEGER PRIMARY KEY, total INTEGER, code VARCHAR(10));
INSERT INTO orders VALUES (1, 5, 'A');
-- desired
CREATE TABLE orders (id INTEGER PRIMARY KEY, total INTEGER, code VARCHAR(10),
    CONSTRAINT ck_orders_total CHECK (total >= 0), CONSTRAINT uq_orders_code UNIQUE (code));
