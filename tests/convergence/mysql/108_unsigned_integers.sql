-- expect: ModifyColumn
-- current
CREATE TABLE counters (id INT PRIMARY KEY, hits INT);
INSERT INTO counters VALUES (1, 5);
-- desired
CREATE TABLE counters (id INT PRIMARY KEY, hits INT UNSIGNED NOT NULL DEFAULT 0);
