CREATE TABLE projects (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL
);
CREATE TABLE exports (
    id TEXT PRIMARY KEY,
    project_id TEXT NOT NULL REFERENCES projects(id),
    format TEXT NOT NULL DEFAULT 'tar.gz'
);
