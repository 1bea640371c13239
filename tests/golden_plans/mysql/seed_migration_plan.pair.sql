-- hints: table users=app_users; table run_job_candidates=run_candidates; column projects.user_id=owner_user_id; column assets.asset_kind=kind; column assets.rel_path=storage_uri; column assets.meta_json=metadata_json; column run_candidates.output_path=output_asset_id
-- current
CREATE TABLE users (id INT PRIMARY KEY, username VARCHAR(200) NOT NULL UNIQUE, display_name VARCHAR(200) NOT NULL, created_at VARCHAR(200) NOT NULL);
CREATE TABLE projects (id INT PRIMARY KEY, user_id INT NOT NULL REFERENCES users (id) ON DELETE CASCADE, slug VARCHAR(200) NOT NULL,
    settings_json TEXT, UNIQUE (user_id, slug));
CREATE TABLE assets (id INT PRIMARY KEY, project_id INT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    asset_kind VARCHAR(200) NOT NULL, rel_path VARCHAR(200) NOT NULL, meta_json TEXT, sha256 VARCHAR(200), created_at VARCHAR(200) NOT NULL);
CREATE INDEX idx_assets_project ON assets (project_id);
CREATE TABLE run_job_candidates (id INT PRIMARY KEY, job_id INT NOT NULL, candidate_index INT NOT NULL, output_path VARCHAR(200));
CREATE INDEX idx_candidates_job ON run_job_candidates (job_id);
CREATE TABLE project_snapshots (id INT PRIMARY KEY, project_id INT, taken_at VARCHAR(200));
INSERT INTO users VALUES (1, 'ann', 'Ann', '2026-01-01');
INSERT INTO projects VALUES (1, 1, 'demo', '{}');
INSERT INTO assets VALUES (1, 1, 'image', 'a/b.png', NULL, NULL, '2026-01-02');
-- desired
CREATE TABLE app_users (id INT PRIMARY KEY, username VARCHAR(200) NOT NULL UNIQUE, display_name VARCHAR(200) NOT NULL, created_at VARCHAR(200) NOT NULL);
CREATE TABLE projects (id INT PRIMARY KEY, owner_user_id INT NOT NULL REFERENCES app_users (id) ON DELETE CASCADE, slug VARCHAR(200) NOT NULL,
    settings_json TEXT, UNIQUE (owner_user_id, slug));
CREATE TABLE project_storage (id INT PRIMARY KEY, project_id INT NOT NULL UNIQUE REFERENCES projects (id) ON DELETE CASCADE,
    backend VARCHAR(200) NOT NULL DEFAULT 'local', root_uri VARCHAR(200));
CREATE TABLE assets (id INT PRIMARY KEY, project_id INT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    kind VARCHAR(200) NOT NULL, storage_uri VARCHAR(200) NOT NULL, metadata_json TEXT, sha256 VARCHAR(200), created_at VARCHAR(200) NOT NULL,
    storage_backend VARCHAR(200) NOT NULL DEFAULT 'local', mime_type VARCHAR(200));
CREATE INDEX idx_assets_project ON assets (project_id, kind, created_at DESC);
CREATE INDEX idx_assets_sha ON assets (project_id, sha256);
CREATE TABLE run_candidates (id INT PRIMARY KEY, job_id INT NOT NULL, candidate_index INT NOT NULL, output_asset_id INT REFERENCES assets (id));
CREATE INDEX idx_candidates_job ON run_candidates (job_id, candidate_index);
CREATE TABLE project_snapshots (id INT PRIMARY KEY, project_id INT, taken_at VARCHAR(200));
