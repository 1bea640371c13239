-- expect: ModifyObject AddObject DropObject
-- current
CREATE TABLE orders (id INT PRIMARY KEY, total DECIMAL(10,2));
CREATE FUNCTION order_total(order_id INT) RETURNS DECIMAL(10,2) READS SQL DATA RETURN (SELECT total FROM orders WHERE id = order_id);
CREATE PROCEDURE order_total(IN order_id INT, OUT t DECIMAL(10,2)) READS SQL DATA SELECT total INTO t FROM orders WHERE id = order_id;
CREATE PROCEDURE audit_orders() SELECT COUNT(*) FROM orders;
INSERT INTO orders VALUES (1, 10.00);
-- desired
CREATE TABLE orders (id INT PRIMARY KEY, total DECIMAL(10,2));
CREATE FUNCTION order_total(order_id INT) RETURNS DECIMAL(10,2) READS SQL DATA RETURN (SELECT total FROM orders WHERE id = order_id);
CREATE PROCEDURE order_total(IN order_id INT, OUT t DECIMAL(10,2)) READS SQL DATA SELECT total * 2 INTO t FROM orders WHERE id = order_id;
CREATE FUNCTION audit_orders() RETURNS INT READS SQL DATA RETURN (SELECT COUNT(*) FROM orders);
