-- catalog-differs: CREATE TABLE orders | PostgreSQL stores the IN list of a CHECK added by ALTER TABLE from the
--   deparsed target text as ARRAY[('new'::varchar)::text, ...] and the one in CREATE TABLE as
--   (ARRAY['new'::varchar, ...])::text[]: the same constraint, a different catalog text
-- expect: AddCheck
-- current
CREATE TABLE orders (id integer PRIMARY KEY, status varchar(16) NOT NULL);
INSERT INTO orders VALUES (1, 'new');
-- desired
CREATE TABLE orders (id integer PRIMARY KEY, status varchar(16) NOT NULL CHECK (status IN ('new', 'paid', 'shipped')));
