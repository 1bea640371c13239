-- expect: ModifyColumn
-- current
CREATE TABLE notes (id INTEGER PRIMARY KEY, body VARCHAR(200) NOT NULL);
INSERT INTO notes VALUES (1, 'hello');
-- desired
CREATE TABLE notes (id INTEGER PRIMARY KEY, body VARCHAR(200));
