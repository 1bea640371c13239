-- expect: ModifyTable ModifyColumn
-- current
CREATE TABLE docs (id integer PRIMARY KEY, body text);
COMMENT ON COLUMN docs.body IS 'old words';
INSERT INTO docs VALUES (1, 'b');
-- desired
CREATE TABLE docs (id integer PRIMARY KEY, body text);
COMMENT ON TABLE docs IS 'Documents; the user''s own';
COMMENT ON COLUMN docs.body IS 'Markdown body';
