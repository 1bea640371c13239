-- schemaudit migration plan for postgresql (20260221)
-- 6 step(s); highest risk: medium
-- Note: PostgreSQL runs each step in its own transaction: a failed step is rolled back whole. Constraints added to existing tables are validated in a later step of their own.

-- -----------------------------------------------------------------------------
-- 20260221_0001_b_drop_constraints
-- Constraints and indexes: Drop index ix_b_qty on b
-- Risk: Low
BEGIN;
DROP INDEX "ix_b_qty";
COMMIT;

-- -----------------------------------------------------------------------------
-- 20260221_0002_a_constraints
-- Constraints and indexes: Add unique a(code)
-- Risk: Medium — unique constraint added to existing data (add unique a(code))
-- Hazard (unique_on_existing_data): duplicate values in a stop the step
BEGIN;
ALTER TABLE "a" ADD CONSTRAINT "a_code_key" UNIQUE ("code");
COMMIT;

-- -----------------------------------------------------------------------------
-- 20260221_0003_b_constraints
-- Constraints and indexes: Add check on b ((qty >= 0)); create index ix_b_qty on b UNIQUE (qty) WHERE (qty > 0); add foreign key b(a_id) -> a(id) ON DELETE SET NULL
-- Risk: Medium — check added to existing data on b; unique constraint added to existing data (create index ix_b_qty on b UNIQUE (qty) WHERE (qty > 0)); foreign key added to existing data on b
BEGIN;
ALTER TABLE "b" ADD CONSTRAINT "b_qty_check" CHECK ((qty >= 0)) NOT VALID;
COMMIT;

-- -----------------------------------------------------------------------------
-- 20260221_0004_b_foreign_keys
-- Constraints and indexes: Add foreign key b(a_id) -> a(id) ON DELETE SET NULL
-- Risk: Medium — foreign key added to existing data on b
BEGIN;
ALTER TABLE "b" ADD CONSTRAINT "b_a_id_fkey" FOREIGN KEY ("a_id") REFERENCES "a" ("id") ON DELETE SET NULL NOT VALID;
COMMIT;

-- -----------------------------------------------------------------------------
-- 20260221_0005_b_validate
-- Constraint validation: Validate the constraints added to b
-- Risk: Medium — existing rows of b must satisfy the new constraints
-- Hazard (check_on_existing_data): rows of b that fail the check fail the validation
-- Hazard (fk_on_existing_data): rows of b without a parent row fail the validation
BEGIN;
ALTER TABLE "b" VALIDATE CONSTRAINT "b_qty_check";
ALTER TABLE "b" VALIDATE CONSTRAINT "b_a_id_fkey";
COMMIT;

-- -----------------------------------------------------------------------------
-- 20260221_0006_b_index_concurrently
-- Index built concurrently: Replace index ix_b_qty on b by ix_b_qty UNIQUE (qty) WHERE (qty > 0)
-- Risk: Medium — unique constraint added to existing data (replace index ix_b_qty on b by ix_b_qty UNIQUE (qty) WHERE (qty > 0))
-- Hazard (unique_on_existing_data): duplicate values in b stop the step
-- Hazard (non_transactional): runs outside a transaction; if it fails, drop the INVALID index it leaves
-- Runs outside a transaction.
CREATE UNIQUE INDEX CONCURRENTLY "ix_b_qty" ON "b" ("qty") WHERE (qty > 0);
