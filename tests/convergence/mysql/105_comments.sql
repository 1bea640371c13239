-- expect: ModifyTable ModifyColumn
-- current
CREATE TABLE docs (id INT PRIMARY KEY, body TEXT COMMENT 'old');
INSERT INTO docs VALUES (1, 'b');
-- desired
CREATE TABLE docs (id INT PRIMARY KEY, body TEXT COMMENT 'Markdown body; it''s long') COMMENT = 'Documents';
