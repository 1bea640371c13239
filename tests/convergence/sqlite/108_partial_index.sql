-- expect: AddIndex
-- current
CREATE TABLE jobs (id INTEGER PRIMARY KEY, state TEXT, queued_at TEXT);
INSERT INTO jobs VALUES (1, 'queued', '2026');
-- desired
CREATE TABLE jobs (id INTEGER PRIMARY KEY, state TEXT, queued_at TEXT);
CREATE INDEX ix_jobs_queued ON jobs (queued_at) WHERE state = 'queued';
