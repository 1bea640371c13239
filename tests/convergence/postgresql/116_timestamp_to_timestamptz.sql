-- expect: ModifyColumn
-- current
CREATE TABLE runs (id integer PRIMARY KEY, started_at timestamp);
INSERT INTO runs VALUES (1, '2026-01-01 10:00');
-- desired
CREATE TABLE runs (id integer PRIMARY KEY, started_at timestamptz);
