-- expect: ModifyColumn
-- current
CREATE TABLE t (id integer PRIMARY KEY, v text);
INSERT INTO t VALUES (5, 'a');
-- desired
CREATE TABLE t (id serial PRIMARY KEY, v text);
