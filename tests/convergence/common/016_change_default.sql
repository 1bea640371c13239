-- expect: ModifyColumn
-- current
CREATE TABLE tasks (id INTEGER PRIMARY KEY, priority INTEGER DEFAULT 1);
INSERT INTO tasks VALUES (1, 3);
-- desired
CREATE TABLE tasks (id INTEGER PRIMARY KEY, priority INTEGER DEFAULT 5);
