-- expect: AddColumn
-- current
CREATE TABLE events (id INTEGER PRIMARY KEY, kind TEXT);
INSERT INTO events VALUES (1, 'a');
-- desired
CREATE TABLE events (id INTEGER PRIMARY KEY, kind TEXT, created_at TEXT DEFAULT (datetime('now')));
