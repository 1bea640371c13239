-- schemaudit migration plan for sqlite (20260221)
-- 1 step(s); highest risk: high

-- -----------------------------------------------------------------------------
-- 20260221_0001_orders_rebuild
-- Table rebuild: Rebuild table orders (create the new table, copy the rows, drop the old, rename); alter table orders (options); alter column orders.id (identity); alter column orders.total (default, nullable); drop column orders.note; add check on orders (total >= 0)
-- Risk: High — data loss on drop (drop column orders.note)
-- Data migration: Fill the NULLs in orders.total first: a row holding NULL stops the step.
-- Hazard (table_rebuild): rebuilds orders: every row is copied into a new table
-- Hazard (data_loss): drops column orders.note and its values
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE "_schemaudit_new_orders" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT,
    "total" INTEGER NOT NULL DEFAULT 0,
    CHECK (total >= 0)
) STRICT;
INSERT INTO "_schemaudit_new_orders" ("id", "total")
    SELECT "id", "total" FROM "orders";
DROP TABLE "orders";
PRAGMA legacy_alter_table = ON;
ALTER TABLE "_schemaudit_new_orders" RENAME TO "orders";
PRAGMA legacy_alter_table = OFF;
CREATE TRIGGER log_order AFTER INSERT ON orders BEGIN INSERT INTO order_log (order_id) VALUES (NEW.id); END;
-- Any row returned below is a violation: the step must be rolled back.
PRAGMA foreign_key_check("orders");
-- Any row returned below is a violation: the step must be rolled back.
PRAGMA foreign_key_check("order_log");
COMMIT;
PRAGMA foreign_keys = ON;
