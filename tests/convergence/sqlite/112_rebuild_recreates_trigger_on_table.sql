-- expect: ModifyColumn AddCheck
-- current
CREATE TABLE orders (id INTEGER PRIMARY KEY, total INTEGER);
CREATE TABLE order_log (id INTEGER PRIMARY KEY, order_id INTEGER);
CREATE TRIGGER log_order AFTER INSERT ON orders BEGIN INSERT INTO order_log (order_id) VALUES (NEW.id); END;
INSERT INTO orders VALUES (1, 5);
-- desired
CREATE TABLE orders (id INTEGER PRIMARY KEY, total INTEGER NOT NULL DEFAULT 0, CHECK (total >= 0));
CREATE TABLE order_log (id INTEGER PRIMARY KEY, order_id INTEGER);
