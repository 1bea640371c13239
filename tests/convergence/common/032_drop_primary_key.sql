-- expect: DropPrimaryKey
-- current
CREATE TABLE events (id INTEGER NOT NULL, kind VARCHAR(20), PRIMARY KEY (id));
INSERT INTO events VALUES (1, 'a');
-- desired
CREATE TABLE events (id INTEGER NOT NULL, kind VARCHAR(20));
