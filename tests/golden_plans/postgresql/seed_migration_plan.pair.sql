-- hints: table users=app_users; table run_job_candidates=run_candidates; column projects.user_id=owner_user_id; column assets.asset_kind=kind; column assets.rel_path=storage_uri; column assets.meta_json=metadata_json; column run_candidates.output_path=output_asset_id
-- current
CREATE TABLE users (id integer PRIMARY KEY, username varchar(200) NOT NULL UNIQUE, display_name varchar(200) NOT NULL, created_at varchar(200) NOT NULL);
CREATE TABLE projects (id integer PRIMARY KEY, user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE, slug varchar(200) NOT NULL,
    settings_json text, UNIQUE (user_id, slug));
CREATE TABLE assets (id integer PRIMARY KEY, project_id integer NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    asset_kind varchar(200) NOT NULL, rel_path varchar(200) NOT NULL, meta_json text, sha256 varchar(200), created_at varchar(200) NOT NULL);
CREATE INDEX idx_assets_project ON assets (project_id);
CREATE TABLE run_job_candidates (id integer PRIMARY KEY, job_id integer NOT NULL, candidate_index integer NOT NULL, output_path varchar(200));
CREATE INDEX idx_candidates_job ON run_job_candidates (job_id);
CREATE TABLE project_snapshots (id integer PRIMARY KEY, project_id integer, taken_at varchar(200));
INSERT INTO users VALUES (1, 'ann', 'Ann', '2026-01-01');
INSERT INTO projects VALUES (1, 1, 'demo', '{}');
INSERT INTO assets VALUES (1, 1, 'image', 'a/b.png', NULL, NULL, '2026-01-02');
-- desired
CREATE TABLE app_users (id integer PRIMARY KEY, username varchar(200) NOT NULL UNIQUE, display_name varchar(200) NOT NULL, created_at varchar(200) NOT NULL);
CREATE TABLE projects (id integer PRIMARY KEY, owner_user_id integer NOT NULL REFERENCES app_users (id) ON DELETE CASCADE, slug varchar(200) NOT NULL,
    settings_json text, UNIQUE (owner_user_id, slug));
CREATE TABLE project_storage (id integer PRIMARY KEY, project_id integer NOT NULL UNIQUE REFERENCES projects (id) ON DELETE CASCADE,
    backend varchar(200) NOT NULL DEFAULT 'local', root_uri varchar(200));
CREATE TABLE assets (id integer PRIMARY KEY, project_id integer NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    kind varchar(200) NOT NULL, storage_uri varchar(200) NOT NULL, metadata_json text, sha256 varchar(200), created_at varchar(200) NOT NULL,
    storage_backend varchar(200) NOT NULL DEFAULT 'local', mime_type varchar(200));
CREATE INDEX idx_assets_project ON assets (project_id, kind, created_at DESC);
CREATE INDEX idx_assets_sha ON assets (project_id, sha256);
CREATE TABLE run_candidates (id integer PRIMARY KEY, job_id integer NOT NULL, candidate_index integer NOT NULL, output_asset_id integer REFERENCES assets (id));
CREATE INDEX idx_candidates_job ON run_candidates (job_id, candidate_index);
CREATE TABLE project_snapshots (id integer PRIMARY KEY, project_id integer, taken_at varchar(200));
