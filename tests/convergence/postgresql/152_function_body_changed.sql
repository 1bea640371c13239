-- expect: ModifyObject
-- current
CREATE FUNCTION twice(x integer) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT x + x $$;
CREATE TABLE t (id integer PRIMARY KEY, n integer DEFAULT twice(2));
CREATE VIEW doubled AS SELECT id, twice(n) AS d FROM t;
INSERT INTO t VALUES (1, 3);
-- desired
CREATE FUNCTION twice(x integer) RETURNS integer LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT x * 2 $$;
CREATE TABLE t (id integer PRIMARY KEY, n integer DEFAULT twice(2));
CREATE VIEW doubled AS SELECT id, twice(n) AS d FROM t;
COMMENT ON FUNCTION twice(integer) IS 'times two';
