-- schemaudit migration plan for mysql (20260221)
-- 7 step(s); highest risk: medium
-- Note: MySQL/MariaDB commit every DDL statement implicitly: a step cannot be rolled back. Each step is one statement wherever possible (all of a table's actions in one ALTER TABLE), so a failed step leaves the database as it was before that step and the plan can be re-run from there. A step is recorded right after its statement: if the connection drops in between, check that step by hand before running the plan again.

-- -----------------------------------------------------------------------------
-- 20260221_0001_create_x
-- New table: Create table x (2 columns)
-- Risk: Low
CREATE TABLE `x` (
    `id` int(11) NOT NULL,
    `y_id` int(11) NULL,
    PRIMARY KEY (`id`),
    INDEX `fk_x_y` (`y_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

-- -----------------------------------------------------------------------------
-- 20260221_0002_create_y
-- New table: Create table y (2 columns)
-- Risk: Low
CREATE TABLE `y` (
    `id` int(11) NOT NULL,
    `x_id` int(11) NULL,
    PRIMARY KEY (`id`),
    CONSTRAINT `fk_y_x` FOREIGN KEY (`x_id`) REFERENCES `x` (`id`),
    INDEX `fk_y_x` (`x_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

-- -----------------------------------------------------------------------------
-- 20260221_0003_c_drop_constraints
-- Constraints and indexes: Drop foreign key c(p_id) -> p(id)
-- Risk: Low
ALTER TABLE `c` DROP FOREIGN KEY `fk_c_p`;

-- -----------------------------------------------------------------------------
-- 20260221_0004_c_alter
-- Column and table alterations: Alter column c.p_id (type)
-- Risk: Low
-- Hazard (cast): c.p_id: int(11) -> bigint(20); values are converted
ALTER TABLE `c` MODIFY COLUMN `p_id` bigint(20) NULL;

-- -----------------------------------------------------------------------------
-- 20260221_0005_p_alter
-- Column and table alterations: Alter column p.id (type)
-- Risk: Low
-- Hazard (cast): p.id: int(11) -> bigint(20); values are converted
ALTER TABLE `p` MODIFY COLUMN `id` bigint(20) NOT NULL;

-- -----------------------------------------------------------------------------
-- 20260221_0006_c_foreign_keys
-- Constraints and indexes: Add foreign key c(p_id) -> p(id)
-- Risk: Medium — foreign key added to existing data on c
ALTER TABLE `c` ADD CONSTRAINT `fk_c_p` FOREIGN KEY (`p_id`) REFERENCES `p` (`id`);

-- -----------------------------------------------------------------------------
-- 20260221_0007_x_foreign_keys
-- Constraints and indexes: Add foreign key x(y_id) -> y(id)
-- Risk: Low
ALTER TABLE `x` ADD CONSTRAINT `fk_x_y` FOREIGN KEY (`y_id`) REFERENCES `y` (`id`);
