CREATE TABLE runs (
    id TEXT PRIMARY KEY,
    project_id TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    run_log_path TEXT,
    image_quality TEXT NOT NULL DEFAULT 'high',
    worker_token TEXT NOT NULL
);
CREATE INDEX ix_runs_status ON runs (status);
CREATE TABLE agent_instructions (
    id TEXT PRIMARY KEY,
    body TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT
);
CREATE TABLE project_snapshots (
    id TEXT PRIMARY KEY,
    payload TEXT NOT NULL
);
