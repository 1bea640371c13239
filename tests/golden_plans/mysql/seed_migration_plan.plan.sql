-- schemaudit migration plan for mysql (20260221)
-- 12 step(s); highest risk: high
-- Note: MySQL/MariaDB commit every DDL statement implicitly: a step cannot be rolled back. Each step is one statement wherever possible (all of a table's actions in one ALTER TABLE), so a failed step leaves the database as it was before that step and the plan can be re-run from there. A step is recorded right after its statement: if the connection drops in between, check that step by hand before running the plan again.

-- -----------------------------------------------------------------------------
-- 20260221_0001_rename_users_to_app_users
-- Table rename: Rename table users to app_users
-- Risk: Medium — code and queries that name users break; 1 foreign key follows it
RENAME TABLE `users` TO `app_users`;

-- -----------------------------------------------------------------------------
-- 20260221_0002_rename_run_job_candidates_to_run_candidates
-- Table rename: Rename table run_job_candidates to run_candidates
-- Risk: Medium — code and queries that name run_job_candidates break
RENAME TABLE `run_job_candidates` TO `run_candidates`;

-- -----------------------------------------------------------------------------
-- 20260221_0003_assets_rename_columns
-- Column rename: Rename column assets.asset_kind to kind; rename column assets.meta_json to metadata_json; rename column assets.rel_path to storage_uri
-- Risk: Low
ALTER TABLE `assets`
    RENAME COLUMN `asset_kind` TO `kind`,
    RENAME COLUMN `meta_json` TO `metadata_json`,
    RENAME COLUMN `rel_path` TO `storage_uri`;

-- -----------------------------------------------------------------------------
-- 20260221_0004_projects_rename_columns
-- Column rename: Rename column projects.user_id to owner_user_id
-- Risk: Low
ALTER TABLE `projects` RENAME COLUMN `user_id` TO `owner_user_id`;

-- -----------------------------------------------------------------------------
-- 20260221_0005_run_candidates_rename_columns
-- Column rename: Rename column run_candidates.output_path to output_asset_id
-- Risk: Low
ALTER TABLE `run_candidates` RENAME COLUMN `output_path` TO `output_asset_id`;

-- -----------------------------------------------------------------------------
-- 20260221_0006_projects_rename_objects
-- Index and constraint renames: Rename index user_id on projects to owner_user_id
-- Risk: Low
ALTER TABLE `projects` RENAME INDEX `user_id` TO `owner_user_id`;

-- -----------------------------------------------------------------------------
-- 20260221_0007_create_project_storage
-- New table: Create table project_storage (4 columns)
-- Risk: Low
CREATE TABLE `project_storage` (
    `id` int(11) NOT NULL,
    `project_id` int(11) NOT NULL,
    `backend` varchar(200) NOT NULL DEFAULT 'local',
    `root_uri` varchar(200) NULL,
    PRIMARY KEY (`id`),
    CONSTRAINT `project_id` UNIQUE (`project_id`),
    CONSTRAINT `project_storage_ibfk_1` FOREIGN KEY (`project_id`) REFERENCES `projects` (`id`) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

-- -----------------------------------------------------------------------------
-- 20260221_0008_assets_add_columns
-- New columns: Add column assets.storage_backend varchar(200) NOT NULL DEFAULT 'local'; add column assets.mime_type varchar(200)
-- Risk: Low
ALTER TABLE `assets`
    ADD COLUMN `storage_backend` varchar(200) NOT NULL DEFAULT 'local' AFTER `created_at`,
    ADD COLUMN `mime_type` varchar(200) NULL AFTER `storage_backend`;

-- -----------------------------------------------------------------------------
-- 20260221_0009_run_candidates_alter
-- Column and table alterations: Alter column run_candidates.output_asset_id (type)
-- Risk: High — values must be converted run_candidates.output_asset_id: varchar(200) -> int(11)
-- Data migration: run_candidates.output_asset_id (was output_path) held varchar(200) values and now references assets(id): translate the stored values into the referenced keys (look each one up) before the foreign key is validated.
-- Hazard (cast): run_candidates.output_asset_id: varchar(200) -> int(11); values are converted
ALTER TABLE `run_candidates` MODIFY COLUMN `output_asset_id` int(11) NULL;

-- -----------------------------------------------------------------------------
-- 20260221_0010_assets_constraints
-- Constraints and indexes: Create index idx_assets_sha on assets (project_id, sha256); replace index idx_assets_project on assets by idx_assets_project (project_id, kind, created_at DESC)
-- Risk: Low
ALTER TABLE `assets`
    ADD INDEX `idx_assets_sha` (`project_id`, `sha256`),
    DROP INDEX `idx_assets_project`,
    ADD INDEX `idx_assets_project` (`project_id`, `kind`, `created_at` DESC);

-- -----------------------------------------------------------------------------
-- 20260221_0011_run_candidates_constraints
-- Constraints and indexes: Create index output_asset_id on run_candidates (output_asset_id); replace index idx_candidates_job on run_candidates by idx_candidates_job (job_id, candidate_index)
-- Risk: Low
ALTER TABLE `run_candidates`
    ADD INDEX `output_asset_id` (`output_asset_id`),
    DROP INDEX `idx_candidates_job`,
    ADD INDEX `idx_candidates_job` (`job_id`, `candidate_index`);

-- -----------------------------------------------------------------------------
-- 20260221_0012_run_candidates_foreign_keys
-- Constraints and indexes: Add foreign key run_candidates(output_asset_id) -> assets(id)
-- Risk: Medium — foreign key added to existing data on run_candidates
ALTER TABLE `run_candidates` ADD CONSTRAINT `run_candidates_ibfk_1` FOREIGN KEY (`output_asset_id`) REFERENCES `assets` (`id`);
