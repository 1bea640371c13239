-- schemaudit migration plan for postgresql (20260221)
-- 3 step(s); highest risk: high
-- Note: PostgreSQL runs each step in its own transaction: a failed step is rolled back whole. Constraints added to existing tables are validated in a later step of their own.

-- -----------------------------------------------------------------------------
-- 20260221_0001_types_and_sequences
-- Type definitions: Create enum type ticket_state
-- Risk: Low
BEGIN;
CREATE TYPE "ticket_state" AS ENUM ('open', 'closed');
COMMIT;

-- -----------------------------------------------------------------------------
-- 20260221_0002_tickets_add_columns
-- New columns: Add column tickets.words integer GENERATED AS (length(body))
-- Risk: Low
BEGIN;
ALTER TABLE "tickets" ADD COLUMN "words" integer GENERATED ALWAYS AS (length(body)) STORED;
COMMIT;

-- -----------------------------------------------------------------------------
-- 20260221_0003_tickets_alter
-- Column and table alterations: Alter table tickets (comment); alter column tickets.id (identity); alter column tickets.state (nullable, type); alter column tickets.title (comment, type)
-- Risk: High — values must be converted tickets.state: text -> ticket_state
-- Data migration: tickets.state changes from text to ticket_state: existing values are converted by a cast; check them, or convert them in a data migration first.
-- Data migration: Fill the NULLs in tickets.state first: a row holding NULL stops the step.
-- Hazard (cast): values are cast tickets.state: text -> ticket_state: a value that does not convert stops the step
-- Hazard (not_null_on_existing_data): rows where tickets.state is NULL stop the step
-- Hazard (catalog_only): tickets.title: character varying(50) -> character varying(200) changes the catalog only: no table rewrite, indexes kept; the ACCESS EXCLUSIVE lock is held only for a moment
BEGIN;
COMMENT ON TABLE "tickets" IS 'Support tickets';
ALTER TABLE "tickets" ALTER COLUMN "id" DROP DEFAULT;
DROP SEQUENCE IF EXISTS "tickets_id_seq";
ALTER TABLE "tickets" ALTER COLUMN "id" ADD GENERATED ALWAYS AS IDENTITY;
SELECT setval(pg_get_serial_sequence('"tickets"', 'id'), COALESCE(MAX("id"), 0) + 1, false) FROM "tickets";
ALTER TABLE "tickets"
    ALTER COLUMN "state" DROP DEFAULT,
    ALTER COLUMN "state" TYPE ticket_state USING "state"::ticket_state,
    ALTER COLUMN "state" SET DEFAULT 'open',
    ALTER COLUMN "state" SET NOT NULL,
    ALTER COLUMN "title" TYPE character varying(200);
COMMENT ON COLUMN "tickets"."title" IS 'One line';
COMMIT;
