-- expect: AddCheck DropCheck
-- current
CREATE TABLE orders (id INTEGER PRIMARY KEY, qty INTEGER, CONSTRAINT ck_qty CHECK (qty > 0));
INSERT INTO orders VALUES (1, 3);
-- desired
CREATE TABLE orders (id INTEGER PRIMARY KEY, qty INTEGER, CONSTRAINT ck_qty CHECK (qty > 0 AND qty < 1000));
