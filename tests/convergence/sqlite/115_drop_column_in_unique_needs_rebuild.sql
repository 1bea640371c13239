-- expect: DropColumn DropUnique
-- current
CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b TEXT, UNIQUE (a, b));
INSERT INTO t VALUES (1, 'a', 'b');
-- desired
CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT);
