-- expect: ModifyColumn
-- current
CREATE TABLE t (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY, v text);
INSERT INTO t (v) VALUES ('a');
-- desired
CREATE TABLE t (id integer PRIMARY KEY, v text);
