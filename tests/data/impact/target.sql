-- The schema the team means to have.
CREATE TABLE app_users (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE projects (
    id TEXT PRIMARY KEY,
    owner_user_id TEXT NOT NULL REFERENCES app_users(id),
    slug TEXT NOT NULL,
    status TEXT NOT NULL
);
CREATE TABLE runs (
    id TEXT PRIMARY KEY,
    project_id TEXT NOT NULL REFERENCES projects(id),
    run_mode TEXT NOT NULL,
    status TEXT NOT NULL,
    model_name TEXT,
    metadata_json TEXT NOT NULL DEFAULT '{}',
    started_at TEXT
);
CREATE TABLE cost_events (
    id TEXT PRIMARY KEY,
    project_id TEXT NOT NULL REFERENCES projects(id),
    run_id TEXT REFERENCES runs(id),
    cost_usd REAL NOT NULL DEFAULT 0
);
