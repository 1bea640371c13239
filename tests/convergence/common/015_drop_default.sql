-- expect: ModifyColumn
-- current
CREATE TABLE tasks (id INTEGER PRIMARY KEY, state VARCHAR(20) DEFAULT 'new');
INSERT INTO tasks VALUES (1, 'open');
-- desired
CREATE TABLE tasks (id INTEGER PRIMARY KEY, state VARCHAR(20));
