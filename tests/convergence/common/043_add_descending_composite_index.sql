-- expect: AddIndex
-- current
CREATE TABLE runs (id INTEGER PRIMARY KEY, project_id INTEGER, created_at VARCHAR(30));
INSERT INTO runs VALUES (1, 1, '2026-01-01');
-- desired
CREATE TABLE runs (id INTEGER PRIMARY KEY, project_id INTEGER, created_at VARCHAR(30));
CREATE INDEX ix_runs_project ON runs (project_id, created_at DESC);
