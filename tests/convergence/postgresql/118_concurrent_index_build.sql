-- expect: AddIndex
-- options: concurrent=yes
-- current
CREATE TABLE big (id integer PRIMARY KEY, k text);
INSERT INTO big SELECT g, 'k' || g FROM generate_series(1, 50) g;
-- desired
CREATE TABLE big (id integer PRIMARY KEY, k text);
CREATE UNIQUE INDEX ux_big_k ON big (k);
CREATE INDEX ix_big_k_desc ON big (k DESC NULLS LAST);
