-- expect: AddColumn
-- current
CREATE TABLE flags (id INT PRIMARY KEY);
INSERT INTO flags VALUES (1);
-- desired
CREATE TABLE flags (id INT PRIMARY KEY, on_ TINYINT(1) NOT NULL DEFAULT 0, seen_at DATETIME(3) NULL);
