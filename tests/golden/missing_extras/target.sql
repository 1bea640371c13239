-- Extras the current schema may keep, and one it may not.
CREATE TABLE runs (
    id TEXT PRIMARY KEY,
    project_id TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE agent_instructions (
    id TEXT PRIMARY KEY,
    body TEXT NOT NULL
);
