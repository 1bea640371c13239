-- schemaudit migration plan for mysql (20260221)
-- 1 step(s); highest risk: medium
-- Note: MySQL/MariaDB commit every DDL statement implicitly: a step cannot be rolled back. Each step is one statement wherever possible (all of a table's actions in one ALTER TABLE), so a failed step leaves the database as it was before that step and the plan can be re-run from there. A step is recorded right after its statement: if the connection drops in between, check that step by hand before running the plan again.

-- -----------------------------------------------------------------------------
-- 20260221_0001_items_alter
-- Column and table alterations: Alter table items (comment); alter column items.id (identity); alter column items.name (type); alter column items.price (default, nullable, type); alter column items.updated_at (default, on_update)
-- Risk: Medium — how items.id gets its values changes; NOT NULL on existing rows of items.price
-- Data migration: Fill the NULLs in items.price first: a row holding NULL stops the step.
-- Hazard (cast): items.name: varchar(20) -> varchar(80); values are converted
-- Hazard (cast): items.price: double -> decimal(10,2); values are converted
-- Hazard (not_null_on_existing_data): NULLs in items.price stop the step
ALTER TABLE `items`
    COMMENT='Catalogue',
    MODIFY COLUMN `id` int(11) NOT NULL AUTO_INCREMENT,
    MODIFY COLUMN `name` varchar(80) NULL COMMENT 'label',
    MODIFY COLUMN `price` decimal(10,2) NOT NULL DEFAULT 0.00,
    MODIFY COLUMN `updated_at` datetime NULL DEFAULT current_timestamp() ON UPDATE current_timestamp();
