-- expect: ModifyObject
-- current
CREATE TABLE orders (id integer PRIMARY KEY, user_id integer, total numeric);
CREATE MATERIALIZED VIEW totals AS SELECT user_id, sum(total) AS total FROM orders GROUP BY user_id;
INSERT INTO orders VALUES (1, 1, 10);
-- desired
CREATE TABLE orders (id integer PRIMARY KEY, user_id integer, total numeric);
CREATE MATERIALIZED VIEW totals AS SELECT user_id, sum(total) AS total, count(*) AS n FROM orders GROUP BY user_id;
CREATE UNIQUE INDEX totals_user ON totals (user_id);
COMMENT ON MATERIALIZED VIEW totals IS 'per user';
