-- hints: column parents.pid=id
-- expect: RenameColumn
-- current
CREATE TABLE parents (pid INTEGER PRIMARY KEY, name VARCHAR(20));
CREATE TABLE children (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parents (pid));
INSERT INTO parents VALUES (1, 'p');
INSERT INTO children VALUES (1, 1);
-- desired
CREATE TABLE parents (id INTEGER PRIMARY KEY, name VARCHAR(20));
CREATE TABLE children (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parents (id));
