-- expect: AddPrimaryKey
-- current
CREATE TABLE events (id INTEGER NOT NULL, kind VARCHAR(20));
INSERT INTO events VALUES (1, 'a');
INSERT INTO events VALUES (2, 'b');
-- desired
CREATE TABLE events (id INTEGER NOT NULL, kind VARCHAR(20), PRIMARY KEY (id));
