-- expect: AddCheck AddTable
-- current
CREATE TABLE orders (id bigint PRIMARY KEY, qty integer);
INSERT INTO orders VALUES (1, 5), (2, -1);
-- desired
CREATE TABLE orders (id bigint PRIMARY KEY, qty integer);
CREATE TABLE refunds (id bigint PRIMARY KEY, amount numeric, CONSTRAINT refunds_id_positive CHECK (id > 0));
ALTER TABLE orders ADD CONSTRAINT orders_qty_positive CHECK (qty > 0) NOT VALID;
ALTER TABLE ONLY refunds ADD CONSTRAINT refunds_amount_positive CHECK (amount > 0) NOT VALID;
