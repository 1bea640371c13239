-- expect: AddColumn AddForeignKey
-- current
CREATE TABLE parents (id INTEGER PRIMARY KEY, name VARCHAR(40));
INSERT INTO parents VALUES (1, 'p1');
INSERT INTO parents VALUES (2, 'p2');
CREATE TABLE notes (id INTEGER PRIMARY KEY, body VARCHAR(100));
INSERT INTO notes VALUES (1, 'n1');
-- desired
CREATE TABLE parents (id INTEGER PRIMARY KEY, name VARCHAR(40));
CREATE TABLE notes (id INTEGER PRIMARY KEY, body VARCHAR(100), parent_id INTEGER REFERENCES parents (id));
