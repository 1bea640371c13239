-- expect: AddObject AddTable
-- current
CREATE TABLE t (id integer PRIMARY KEY);
INSERT INTO t VALUES (1);
-- desired
CREATE TABLE t (id integer PRIMARY KEY);
CREATE FUNCTION normalized(x text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT lower(trim(x)) $$;
CREATE FUNCTION is_code(x text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT normalized(x) ~ '^[a-z]+$' $$;
CREATE TABLE codes (code text CHECK (is_code(code)), label text DEFAULT normalized('X'));
CREATE INDEX codes_norm ON codes (normalized(code));
CREATE FUNCTION codes_of(n integer) RETURNS SETOF codes LANGUAGE sql STABLE AS $$ SELECT * FROM codes LIMIT n $$;
CREATE PROCEDURE clear_codes() LANGUAGE sql AS $$ DELETE FROM codes $$;
