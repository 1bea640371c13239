-- expect: ModifyColumn
-- current
CREATE TABLE lines_ (id INT PRIMARY KEY, qty INT, price INT, total INT, label VARCHAR(40) AS (CONCAT('#', id)) VIRTUAL, code VARCHAR(20) AS (UPPER(label)) STORED);
INSERT INTO lines_ (id, qty, price, total) VALUES (1, 2, 3, 99), (2, 4, 5, NULL);
-- desired
CREATE TABLE lines_ (id INT PRIMARY KEY, qty INT, price INT, total INT AS (qty * price) STORED, label VARCHAR(40), code VARCHAR(20));
