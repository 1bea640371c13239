-- expect: ModifyColumn
-- current
CREATE TABLE notes (id INT PRIMARY KEY, body TEXT);
INSERT INTO notes VALUES (1, 'x');
-- desired
CREATE TABLE notes (id INT PRIMARY KEY, body TEXT NOT NULL DEFAULT '');
