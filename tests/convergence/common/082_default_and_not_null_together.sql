-- expect: ModifyColumn
-- current
CREATE TABLE settings (id INTEGER PRIMARY KEY, theme VARCHAR(10));
INSERT INTO settings VALUES (1, 'dark');
-- desired
CREATE TABLE settings (id INTEGER PRIMARY KEY, theme VARCHAR(10) NOT NULL DEFAULT 'light');
