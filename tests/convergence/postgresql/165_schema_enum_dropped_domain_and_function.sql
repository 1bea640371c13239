-- options: allow_drop=no
-- expect: ModifyColumn DropObject AddObject AddColumn
-- current
CREATE TYPE kind AS ENUM ('a', 'b');
CREATE DOMAIN positive AS integer CHECK (VALUE > 0);
CREATE TABLE items (id integer PRIMARY KEY, k kind, qty positive);
CREATE INDEX items_k ON items (k);
INSERT INTO items VALUES (1, 'a', 3), (2, 'b', NULL);
-- desired
CREATE DOMAIN positive AS integer CHECK (VALUE > 0);
CREATE FUNCTION item_code(n integer) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT 'I-' || n $$;
CREATE TABLE items (id integer PRIMARY KEY, k text, qty positive, code text GENERATED ALWAYS AS (item_code(id)) STORED);
CREATE INDEX items_k ON items (k);
CREATE VIEW item_codes AS SELECT id, code, qty FROM items;
