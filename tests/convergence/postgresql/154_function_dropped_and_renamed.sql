-- expect: DropObject RenameObject
-- current
CREATE TABLE t (id integer PRIMARY KEY);
CREATE FUNCTION old_helper() RETURNS integer LANGUAGE sql AS $$ SELECT 1 $$;
CREATE FUNCTION add_one(x integer) RETURNS integer LANGUAGE sql AS $$ SELECT x + 1 $$;
CREATE FUNCTION cat(text, text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT $1 || $2 $$;
CREATE AGGREGATE cat_all(text) (SFUNC = cat, STYPE = text, INITCOND = '');
INSERT INTO t VALUES (1);
-- desired
CREATE TABLE t (id integer PRIMARY KEY);
CREATE FUNCTION plus_one(x integer) RETURNS integer LANGUAGE sql AS $$ SELECT x + 1 $$;
