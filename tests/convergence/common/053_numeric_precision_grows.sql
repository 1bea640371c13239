-- current
CREATE TABLE money (id INTEGER PRIMARY KEY, amount NUMERIC(8, 2));
INSERT INTO money VALUES (1, 123.45);
-- desired
CREATE TABLE money (id INTEGER PRIMARY KEY, amount NUMERIC(12, 2));
