-- expect: ModifyColumn
-- current
CREATE TABLE notes (id INTEGER PRIMARY KEY, body VARCHAR(200));
INSERT INTO notes VALUES (1, 'hello');
INSERT INTO notes VALUES (2, 'world');
-- desired
CREATE TABLE notes (id INTEGER PRIMARY KEY, body VARCHAR(200) NOT NULL);
