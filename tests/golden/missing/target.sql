-- The spec adds project_storage (referenced by nothing yet, referencing projects) and
-- three columns to projects; the current schema has none of them.
CREATE TABLE projects (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'active',
    archived_at TEXT,
    storage_backend TEXT NOT NULL
);
CREATE TABLE project_storage (
    id TEXT PRIMARY KEY,
    project_id TEXT NOT NULL UNIQUE REFERENCES projects(id) ON DELETE CASCADE,
    local_base_dir TEXT NOT NULL DEFAULT 'var/projects',
    s3_enabled INTEGER NOT NULL DEFAULT 0,
    s3_bucket TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX ix_project_storage_bucket ON project_storage (s3_bucket);
CREATE TABLE exports (
    id TEXT PRIMARY KEY,
    project_id TEXT NOT NULL REFERENCES projects(id),
    storage_id TEXT REFERENCES project_storage(id),
    format TEXT NOT NULL DEFAULT 'tar.gz'
);
