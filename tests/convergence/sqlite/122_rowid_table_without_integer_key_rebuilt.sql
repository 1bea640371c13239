-- expect: ModifyColumn
-- current
CREATE TABLE notes (body TEXT, tag TEXT);
INSERT INTO notes VALUES ('a', 't');
INSERT INTO notes VALUES ('b', 't');
-- desired
CREATE TABLE notes (body TEXT NOT NULL, tag TEXT);
