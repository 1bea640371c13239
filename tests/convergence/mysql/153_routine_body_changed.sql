-- expect: ModifyObject AddObject DropObject
-- current
CREATE TABLE orders (id INT PRIMARY KEY, total DECIMAL(10,2));
CREATE FUNCTION with_tax(amount DECIMAL(10,2)) RETURNS DECIMAL(10,2) DETERMINISTIC RETURN amount * 1.1;
CREATE PROCEDURE order_count(OUT n INT) READS SQL DATA SELECT COUNT(*) INTO n FROM orders;
CREATE PROCEDURE legacy_report() SELECT 1;
INSERT INTO orders VALUES (1, 10.00);
-- desired
CREATE TABLE orders (id INT PRIMARY KEY, total DECIMAL(10,2));
CREATE FUNCTION with_tax(amount DECIMAL(10,2)) RETURNS DECIMAL(10,2) DETERMINISTIC RETURN amount * 1.2;
CREATE PROCEDURE order_count(OUT n INT) READS SQL DATA SELECT COUNT(*) INTO n FROM orders WHERE total > 0;
CREATE FUNCTION order_total(order_id INT) RETURNS DECIMAL(10,2) READS SQL DATA RETURN (SELECT with_tax(total) FROM orders WHERE id = order_id);
CREATE VIEW taxed AS SELECT id, with_tax(total) AS gross FROM orders;
