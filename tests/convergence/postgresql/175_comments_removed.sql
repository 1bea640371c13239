-- expect: ModifyTable ModifyColumn
-- current
CREATE TABLE docs (id integer PRIMARY KEY, body text, title text);
COMMENT ON TABLE docs IS 'Documents';
COMMENT ON COLUMN docs.body IS 'Markdown body';
COMMENT ON COLUMN docs.title IS 'kept';
INSERT INTO docs VALUES (1, 'b', 't');
-- desired
CREATE TABLE docs (id integer PRIMARY KEY, body text, title text);
COMMENT ON COLUMN docs.title IS 'kept';
