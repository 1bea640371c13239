-- schemaudit migration plan for sqlite (20260221)
-- 1 step(s); highest risk: high

-- -----------------------------------------------------------------------------
-- 20260221_0001_users_rebuild
-- Table rebuild: Rebuild table users (create the new table, copy the rows, drop the old, rename); rename column users.name to full_name; drop column users.legacy; add unique users(email); drop index ix_users_email on users
-- Risk: High — data loss on drop (drop column users.legacy)
-- Hazard (table_rebuild): rebuilds users: every row is copied into a new table
-- Hazard (data_loss): drops column users.legacy and its values
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE "_schemaudit_new_users" (
    "id" INTEGER PRIMARY KEY,
    "full_name" TEXT,
    "email" TEXT,
    UNIQUE ("email")
);
INSERT INTO "_schemaudit_new_users" ("id", "full_name", "email")
    SELECT "id", "name", "email" FROM "users";
DROP TABLE "users";
PRAGMA legacy_alter_table = ON;
ALTER TABLE "_schemaudit_new_users" RENAME TO "users";
PRAGMA legacy_alter_table = OFF;
-- Any row returned below is a violation: the step must be rolled back.
PRAGMA foreign_key_check("users");
COMMIT;
PRAGMA foreign_keys = ON;
