-- expect: AddForeignKey
-- current
CREATE TABLE parents (id INTEGER PRIMARY KEY, name VARCHAR(40));
INSERT INTO parents VALUES (1, 'p1');
INSERT INTO parents VALUES (2, 'p2');
CREATE TABLE children (id INTEGER PRIMARY KEY, parent_id INTEGER);
INSERT INTO children VALUES (1, 1);
INSERT INTO children VALUES (2, 2);
INSERT INTO children VALUES (3, NULL);
-- desired
CREATE TABLE parents (id INTEGER PRIMARY KEY, name VARCHAR(40));
CREATE TABLE children (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parents (id));
