-- expect: AddColumn
-- current
CREATE TABLE things (id integer PRIMARY KEY);
INSERT INTO things VALUES (1);
-- desired
CREATE TABLE things (id integer PRIMARY KEY, uid uuid NOT NULL DEFAULT gen_random_uuid(), meta jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at timestamptz NOT NULL DEFAULT now(), tags text[] DEFAULT '{}');
