-- expect: ModifyColumn AddColumn
-- current
CREATE TABLE readings (id INTEGER PRIMARY KEY, value INTEGER);
INSERT INTO readings VALUES (1, 3);
-- desired
CREATE TABLE readings (id INTEGER PRIMARY KEY, value REAL, unit VARCHAR(5) DEFAULT 'm');
