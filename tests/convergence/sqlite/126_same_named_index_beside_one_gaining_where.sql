-- Two indexes on the same columns; the target makes one of them partial. The one that is
-- identical in the target (same name, same content) is kept; only the other is replaced.
-- expect: ModifyIndex
-- names: i_plain i_part
-- current
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    a INTEGER,
    b INTEGER,
    h INTEGER
);
INSERT INTO events VALUES (1, 1, 1, 1);
INSERT INTO events VALUES (2, 2, 2, 0);
CREATE INDEX i_plain ON events (a, b);
CREATE INDEX i_part ON events (a, b);
-- desired
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    a INTEGER,
    b INTEGER,
    h INTEGER
);
CREATE INDEX i_plain ON events (a, b);
CREATE INDEX i_part ON events (a, b) WHERE h = 1;
