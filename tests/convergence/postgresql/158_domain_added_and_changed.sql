-- expect: AddObject ModifyObject
-- current
CREATE DOMAIN positive AS integer CHECK (VALUE > 0);
CREATE TABLE t (id integer PRIMARY KEY, n positive);
INSERT INTO t VALUES (1, 5);
-- desired
CREATE DOMAIN positive AS integer DEFAULT 1 CONSTRAINT positive_small CHECK (VALUE > 0 AND VALUE < 100);
CREATE DOMAIN email AS text NOT NULL CHECK (VALUE LIKE '%@%');
CREATE TABLE t (id integer PRIMARY KEY, n positive, contact email DEFAULT 'a@b');
