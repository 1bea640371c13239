-- expect: ModifyColumn AddCheck
-- current
CREATE TABLE parents (id INTEGER PRIMARY KEY, name TEXT);
CREATE TABLE kids (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parents (id) ON DELETE CASCADE);
INSERT INTO parents VALUES (1, 'p');
INSERT INTO kids VALUES (1, 1);
INSERT INTO kids VALUES (2, 1);
-- desired
CREATE TABLE parents (id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT '', CHECK (length(name) < 100));
CREATE TABLE kids (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parents (id) ON DELETE CASCADE);
