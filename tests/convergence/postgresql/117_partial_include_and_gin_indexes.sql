-- expect: AddIndex
-- current
CREATE TABLE jobs (id integer PRIMARY KEY, state text, queued_at timestamptz, payload jsonb);
INSERT INTO jobs VALUES (1, 'queued', now(), '{}');
-- desired
CREATE TABLE jobs (id integer PRIMARY KEY, state text, queued_at timestamptz, payload jsonb);
CREATE INDEX ix_jobs_queued ON jobs (queued_at) INCLUDE (state) WHERE state = 'queued';
CREATE INDEX ix_jobs_payload ON jobs USING gin (payload);
CREATE INDEX ix_jobs_lower_state ON jobs (lower(state));
