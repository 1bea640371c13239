-- expect: RenameTable
-- current
CREATE TABLE customer (id INTEGER PRIMARY KEY, full_name VARCHAR(80) NOT NULL, email VARCHAR(120), phone VARCHAR(30));
INSERT INTO customer VALUES (1, 'Ann Smith', 'ann@example.com', '555');
INSERT INTO customer VALUES (2, 'Bob Ray', NULL, NULL);
-- desired
CREATE TABLE customers (id INTEGER PRIMARY KEY, full_name VARCHAR(80) NOT NULL, email VARCHAR(120), phone VARCHAR(30));
