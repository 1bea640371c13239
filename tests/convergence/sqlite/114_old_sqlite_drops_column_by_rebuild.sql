-- expect: DropColumn
-- options: sqlite_version=3.34.1
-- current
CREATE TABLE t (id INTEGER PRIMARY KEY, keep TEXT, gone TEXT);
INSERT INTO t VALUES (1, 'k', 'g');
-- desired
CREATE TABLE t (id INTEGER PRIMARY KEY, keep TEXT);
