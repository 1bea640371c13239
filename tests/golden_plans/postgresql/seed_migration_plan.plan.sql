-- schemaudit migration plan for postgresql (20260221)
-- 17 step(s); highest risk: high
-- Note: PostgreSQL runs each step in its own transaction: a failed step is rolled back whole. Constraints added to existing tables are validated in a later step of their own.

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
-- 20260221_0006_app_users_rename_objects
-- Index and constraint renames: Rename unique constraint users_username_key on app_users to app_users_username_key; rename primary key constraint users_pkey on app_users to app_users_pkey
-- Risk: Low
BEGIN;
ALTER TABLE "app_users" RENAME CONSTRAINT "users_username_key" TO "app_users_username_key";
ALTER TABLE "app_users" RENAME CONSTRAINT "users_pkey" TO "app_users_pkey";
COMMIT;

-- -----------------------------------------------------------------------------
-- 20260221_0007_projects_rename_objects
-- Index and constraint renames: Rename unique constraint projects_user_id_slug_key on projects to projects_owner_user_id_slug_key; rename foreign key constraint projects_user_id_fkey on projects to projects_owner_user_id_fkey
-- Risk: Low
BEGIN;
ALTER TABLE "projects" RENAME CONSTRAINT "projects_user_id_slug_key" TO "projects_owner_user_id_slug_key";
ALTER TABLE "projects" RENAME CONSTRAINT "projects_user_id_fkey" TO "projects_owner_user_id_fkey";
COMMIT;

-- -----------------------------------------------------------------------------
-- 20260221_0008_run_candidates_rename_objects
-- Index and constraint renames: Rename primary key constraint run_job_candidates_pkey on run_candidates to run_candidates_pkey
-- Risk: Low
BEGIN;
ALTER TABLE "run_candidates" RENAME CONSTRAINT "run_job_candidates_pkey" TO "run_candidates_pkey";
COMMIT;

-- -----------------------------------------------------------------------------
-- 20260221_0009_create_project_storage
-- New table: Create table project_storage (4 columns)
-- Risk: Low
BEGIN;
CREATE TABLE "project_storage" (
    "id" integer NOT NULL,
    "project_id" integer NOT NULL,
    "backend" character varying(200) NOT NULL DEFAULT 'local'::character varying,
    "root_uri" character varying(200),
    CONSTRAINT "project_storage_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "project_storage_project_id_key" UNIQUE ("project_id"),
    CONSTRAINT "project_storage_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects" ("id") ON DELETE CASCADE
);
COMMIT;

-- -----------------------------------------------------------------------------
-- 20260221_0010_assets_add_columns
-- New columns: Add column assets.storage_backend character varying(200) NOT NULL DEFAULT 'local'::character varying; add column assets.mime_type character varying(200)
-- Risk: Low
BEGIN;
ALTER TABLE "assets"
    ADD COLUMN "storage_backend" character varying(200) NOT NULL DEFAULT 'local'::character varying,
    ADD COLUMN "mime_type" character varying(200);
COMMIT;

-- -----------------------------------------------------------------------------
-- 20260221_0011_assets_drop_constraints
-- Constraints and indexes: Drop index idx_assets_project on assets
-- Risk: Low
BEGIN;
DROP INDEX "idx_assets_project";
COMMIT;

-- -----------------------------------------------------------------------------
-- 20260221_0012_run_candidates_drop_constraints
-- Constraints and indexes: Drop index idx_candidates_job on run_candidates
-- Risk: Low
BEGIN;
DROP INDEX "idx_candidates_job";
COMMIT;

-- -----------------------------------------------------------------------------
-- 20260221_0013_run_candidates_alter
-- Column and table alterations: Alter column run_candidates.output_asset_id (type)
-- Risk: High — values must be converted run_candidates.output_asset_id: character varying(200) -> integer
-- Data migration: run_candidates.output_asset_id (was output_path) held character varying(200) values and now references assets(id): translate the stored values into the referenced keys (look each one up) before the foreign key is validated.
-- Hazard (cast): values are cast run_candidates.output_asset_id: character varying(200) -> integer: a value that does not convert stops the step
BEGIN;
ALTER TABLE "run_candidates" ALTER COLUMN "output_asset_id" TYPE integer USING "output_asset_id"::integer;
COMMIT;

-- -----------------------------------------------------------------------------
-- 20260221_0014_assets_constraints
-- Constraints and indexes: Create index idx_assets_sha on assets (project_id, sha256); create index idx_assets_project on assets (project_id, kind, created_at DESC)
-- Risk: Low
BEGIN;
CREATE INDEX "idx_assets_sha" ON "assets" ("project_id", "sha256");
CREATE INDEX "idx_assets_project" ON "assets" ("project_id", "kind", "created_at" DESC);
COMMIT;

-- -----------------------------------------------------------------------------
-- 20260221_0015_run_candidates_constraints
-- Constraints and indexes: Create index idx_candidates_job on run_candidates (job_id, candidate_index)
-- Risk: Low
BEGIN;
CREATE INDEX "idx_candidates_job" ON "run_candidates" ("job_id", "candidate_index");
COMMIT;

-- -----------------------------------------------------------------------------
-- 20260221_0016_run_candidates_foreign_keys
-- Constraints and indexes: Add foreign key run_candidates(output_asset_id) -> assets(id)
-- Risk: Medium — foreign key added to existing data on run_candidates
BEGIN;
ALTER TABLE "run_candidates" ADD CONSTRAINT "run_candidates_output_asset_id_fkey" FOREIGN KEY ("output_asset_id") REFERENCES "assets" ("id") NOT VALID;
COMMIT;

-- -----------------------------------------------------------------------------
-- 20260221_0017_run_candidates_validate
-- Constraint validation: Validate the constraints added to run_candidates
-- Risk: Medium — existing rows of run_candidates must satisfy the new constraints
-- Hazard (fk_on_existing_data): rows of run_candidates without a parent row fail the validation
BEGIN;
ALTER TABLE "run_candidates" VALIDATE CONSTRAINT "run_candidates_output_asset_id_fkey";
COMMIT;
