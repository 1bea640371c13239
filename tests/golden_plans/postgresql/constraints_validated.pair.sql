-- options: concurrent=yes
-- current
CREATE TABLE a (id integer PRIMARY KEY, code text);
CREATE TABLE b (id integer PRIMARY KEY, a_id integer, qty integer);
CREATE INDEX ix_b_qty ON b (qty);
-- desired
CREATE TABLE a (id integer PRIMARY KEY, code text UNIQUE);
CREATE TABLE b (id integer PRIMARY KEY, a_id integer REFERENCES a (id) ON DELETE SET NULL, qty integer CHECK (qty >= 0));
CREATE UNIQUE INDEX ix_b_qty ON b (qty) WHERE qty > 0;
