-- expect: DropCheck
-- current
CREATE TABLE prices (id INTEGER PRIMARY KEY, amount NUMERIC(10, 2) NOT NULL, CHECK (amount >= 0));
INSERT INTO prices VALUES (1, 9.99);
-- desired
CREATE TABLE prices (id INTEGER PRIMARY KEY, amount NUMERIC(10, 2) NOT NULL);
