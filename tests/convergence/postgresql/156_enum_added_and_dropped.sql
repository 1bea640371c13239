-- expect: AddObject DropObject
-- current
CREATE TYPE unused AS ENUM ('a');
CREATE TABLE t (id integer PRIMARY KEY);
INSERT INTO t VALUES (1);
-- desired
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
COMMENT ON TYPE mood IS 'how it went';
CREATE TABLE t (id integer PRIMARY KEY, m mood DEFAULT 'ok');
