-- hints: table users=app_users; table run_job_candidates=run_candidates; column projects.user_id=owner_user_id; column assets.asset_kind=kind; column assets.rel_path=storage_uri; column assets.meta_json=metadata_json; column run_candidates.output_path=output_asset_id
-- current
CREATE TABLE users (id INTEGER PRIMARY KEY, username TEXT NOT NULL UNIQUE, display_name TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE projects (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE, slug TEXT NOT NULL,
    settings_json TEXT, UNIQUE (user_id, slug));
CREATE TABLE assets (id INTEGER PRIMARY KEY, project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    asset_kind TEXT NOT NULL, rel_path TEXT NOT NULL, meta_json TEXT, sha256 TEXT, created_at TEXT NOT NULL);
CREATE INDEX idx_assets_project ON assets (project_id);
CREATE TABLE run_job_candidates (id INTEGER PRIMARY KEY, job_id INTEGER NOT NULL, candidate_index INTEGER NOT NULL, output_path TEXT);
CREATE INDEX idx_candidates_job ON run_job_candidates (job_id);
CREATE TABLE project_snapshots (id INTEGER PRIMARY KEY, project_id INTEGER, taken_at TEXT);
INSERT INTO users VALUES (1, 'ann', 'Ann', '2026-01-01');
INSERT INTO projects VALUES (1, 1, 'demo', '{}');
INSERT INTO assets VALUES (1, 1, 'image', 'a/b.png', NULL, NULL, '2026-01-02');
-- desired
CREATE TABLE app_users (id INTEGER PRIMARY KEY, username TEXT NOT NULL UNIQUE, display_name TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE projects (id INTEGER PRIMARY KEY, owner_user_id INTEGER NOT NULL REFERENCES app_users (id) ON DELETE CASCADE, slug TEXT NOT NULL,
    settings_json TEXT, UNIQUE (owner_user_id, slug));
CREATE TABLE project_storage (id INTEGER PRIMARY KEY, project_id INTEGER NOT NULL UNIQUE REFERENCES projects (id) ON DELETE CASCADE,
    backend TEXT NOT NULL DEFAULT 'local', root_uri TEXT);
CREATE TABLE assets (id INTEGER PRIMARY KEY, project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    kind TEXT NOT NULL, storage_uri TEXT NOT NULL, metadata_json TEXT, sha256 TEXT, created_at TEXT NOT NULL,
    storage_backend TEXT NOT NULL DEFAULT 'local', mime_type TEXT);
CREATE INDEX idx_assets_project ON assets (project_id, kind, created_at DESC);
CREATE INDEX idx_assets_sha ON assets (project_id, sha256);
CREATE TABLE run_candidates (id INTEGER PRIMARY KEY, job_id INTEGER NOT NULL, candidate_index INTEGER NOT NULL, output_asset_id INTEGER REFERENCES assets (id));
CREATE INDEX idx_candidates_job ON run_candidates (job_id, candidate_index);
CREATE TABLE project_snapshots (id INTEGER PRIMARY KEY, project_id INTEGER, taken_at TEXT);
