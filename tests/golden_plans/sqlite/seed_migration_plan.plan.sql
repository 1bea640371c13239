-- schemaudit migration plan for sqlite (20260221)
-- 10 step(s); highest risk: high

-- -----------------------------------------------------------------------------
-- 20260221_0001_rename_users_to_app_users
-- Table rename: Rename table users to app_users
-- Risk: Medium — code and queries that name users break; 1 foreign key follows it
BEGIN;
ALTER TABLE "users" RENAME TO "app_users";
COMMIT;

-- -----------------------------------------------------------------------------
-- 20260221_0002_rename_run_job_candidates_to_run_candidates
-- Table rename: Rename table run_job_candidates to run_candidates
-- Risk: Medium — code and queries that name run_job_candidates break
BEGIN;
ALTER TABLE "run_job_candidates" RENAME TO "run_candidates";
COMMIT;

-- -----------------------------------------------------------------------------
-- 20260221_0003_assets_rename_columns
-- Column rename: Rename column assets.asset_kind to kind; rename column assets.meta_json to metadata_json; rename column assets.rel_path to storage_uri
-- Risk: Low
BEGIN;
ALTER TABLE "assets" RENAME COLUMN "asset_kind" TO "kind";
ALTER TABLE "assets" RENAME COLUMN "meta_json" TO "metadata_json";
ALTER TABLE "assets" RENAME COLUMN "rel_path" TO "storage_uri";
COMMIT;

-- -----------------------------------------------------------------------------
-- 20260221_0004_projects_rename_columns
-- Column rename: Rename column projects.user_id to owner_user_id
-- Risk: Low
BEGIN;
ALTER TABLE "projects" RENAME COLUMN "user_id" TO "owner_user_id";
COMMIT;

-- -----------------------------------------------------------------------------
-- 20260221_0005_run_candidates_rename_columns
-- Column rename: Rename column run_candidates.output_path to output_asset_id
-- Risk: Low
BEGIN;
ALTER TABLE "run_candidates" RENAME COLUMN "output_path" TO "output_asset_id";
COMMIT;

-- -----------------------------------------------------------------------------
-- 20260221_0006_create_project_storage
-- New table: Create table project_storage (4 columns)
-- Risk: Low
BEGIN;
CREATE TABLE "project_storage" (
    "id" INTEGER PRIMARY KEY,
    "project_id" INTEGER NOT NULL,
    "backend" TEXT NOT NULL DEFAULT 'local',
    "root_uri" TEXT,
    UNIQUE ("project_id"),
    FOREIGN KEY ("project_id") REFERENCES "projects" ("id") ON DELETE CASCADE
);
COMMIT;

-- -----------------------------------------------------------------------------
-- 20260221_0007_assets_add_columns
-- New columns: Add column assets.storage_backend TEXT NOT NULL DEFAULT 'local'; add column assets.mime_type TEXT
-- Risk: Low
BEGIN;
ALTER TABLE "assets" ADD COLUMN "storage_backend" TEXT NOT NULL DEFAULT 'local';
ALTER TABLE "assets" ADD COLUMN "mime_type" TEXT;
COMMIT;

-- -----------------------------------------------------------------------------
-- 20260221_0008_assets_drop_constraints
-- Constraints and indexes: Drop index idx_assets_project on assets
-- Risk: Low
BEGIN;
DROP INDEX "idx_assets_project";
COMMIT;

-- -----------------------------------------------------------------------------
-- 20260221_0009_run_candidates_rebuild
-- Table rebuild: Rebuild table run_candidates (create the new table, copy the rows, drop the old, rename); alter column run_candidates.output_asset_id (type); add foreign key run_candidates(output_asset_id) -> assets(id); replace index idx_candidates_job on run_candidates by idx_candidates_job (job_id, candidate_index)
-- Risk: High — values must be converted run_candidates.output_asset_id: TEXT -> INTEGER
-- Data migration: run_candidates.output_asset_id (was output_path) held TEXT values and now references assets(id): translate the stored values into the referenced keys (look each one up) before the foreign key is validated.
-- Hazard (table_rebuild): rebuilds run_candidates: every row is copied into a new table
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE "_schemaudit_new_run_candidates" (
    "id" INTEGER PRIMARY KEY,
    "job_id" INTEGER NOT NULL,
    "candidate_index" INTEGER NOT NULL,
    "output_asset_id" INTEGER,
    FOREIGN KEY ("output_asset_id") REFERENCES "assets" ("id")
);
INSERT INTO "_schemaudit_new_run_candidates" ("id", "job_id", "candidate_index", "output_asset_id")
    SELECT "id", "job_id", "candidate_index", "output_asset_id" FROM "run_candidates";
DROP TABLE "run_candidates";
PRAGMA legacy_alter_table = ON;
ALTER TABLE "_schemaudit_new_run_candidates" RENAME TO "run_candidates";
PRAGMA legacy_alter_table = OFF;
CREATE INDEX "idx_candidates_job" ON "run_candidates" ("job_id", "candidate_index");
-- Any row returned below is a violation: the step must be rolled back.
PRAGMA foreign_key_check("run_candidates");
COMMIT;
PRAGMA foreign_keys = ON;

-- -----------------------------------------------------------------------------
-- 20260221_0010_assets_constraints
-- Constraints and indexes: Create index idx_assets_sha on assets (project_id, sha256); create index idx_assets_project on assets (project_id, kind, created_at DESC)
-- Risk: Low
BEGIN;
CREATE INDEX "idx_assets_sha" ON "assets" ("project_id", "sha256");
CREATE INDEX "idx_assets_project" ON "assets" ("project_id", "kind", "created_at" DESC);
COMMIT;
