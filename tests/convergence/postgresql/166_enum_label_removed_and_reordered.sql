-- expect: ModifyObject
-- current
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy', 'meh');
CREATE TABLE t (id integer PRIMARY KEY, m mood NOT NULL DEFAULT 'sad', ms mood[]);
CREATE INDEX t_m ON t (m);
CREATE VIEW happy_t AS SELECT id, m FROM t WHERE m = 'happy';
INSERT INTO t VALUES (1, 'happy', '{sad,happy}'), (2, 'meh', NULL);
-- desired
CREATE TYPE mood AS ENUM ('meh', 'sad', 'happy');
CREATE TABLE t (id integer PRIMARY KEY, m mood NOT NULL DEFAULT 'sad', ms mood[]);
CREATE INDEX t_m ON t (m);
CREATE VIEW happy_t AS SELECT id, m FROM t WHERE m = 'happy';
