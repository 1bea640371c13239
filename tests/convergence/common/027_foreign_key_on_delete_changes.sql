-- expect: ModifyForeignKey
-- current
CREATE TABLE parents (id INTEGER PRIMARY KEY, name VARCHAR(40));
INSERT INTO parents VALUES (1, 'p1');
INSERT INTO parents VALUES (2, 'p2');
CREATE TABLE children (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parents (id));
INSERT INTO children VALUES (1, 1);
-- desired
CREATE TABLE parents (id INTEGER PRIMARY KEY, name VARCHAR(40));
CREATE TABLE children (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parents (id) ON DELETE CASCADE);
