-- expect: ModifyColumn
-- current
CREATE TABLE tags (id INTEGER PRIMARY KEY, label TEXT);
INSERT INTO tags VALUES (1, 'A');
-- desired
CREATE TABLE tags (id INTEGER PRIMARY KEY, label TEXT COLLATE NOCASE);
