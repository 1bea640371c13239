-- expect: DropCheck
-- current
CREATE TABLE orders (id INTEGER PRIMARY KEY, total INTEGER, qty INTEGER,
    CONSTRAINT ck_total CHECK (total >= 0), CONSTRAINT ck_qty CHECK (qty > 0));
INSERT INTO orders VALUES (1, 5, 1);
-- desired
CREATE TABLE orders (id INTEGER PRIMARY KEY, total INTEGER, qty INTEGER, CONSTRAINT ck_total CHECK (total >= 0));
