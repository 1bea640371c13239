-- expect: AddUnique
-- current
CREATE TABLE s (id integer PRIMARY KEY, a integer, b integer);
INSERT INTO s VALUES (1, 1, NULL), (2, 1, NULL);
-- desired
CREATE TABLE s (id integer PRIMARY KEY, a integer, b integer, CONSTRAINT uq_s_a_b UNIQUE (a, b));
