-- expect: ModifyColumn
-- current
CREATE TABLE things (id integer PRIMARY KEY, meta jsonb DEFAULT '{}'::jsonb);
INSERT INTO things VALUES (1, '{"a": 1}');
-- desired
CREATE TABLE things (id integer PRIMARY KEY, meta text DEFAULT '{}');
