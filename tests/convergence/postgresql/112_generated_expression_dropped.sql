-- expect: ModifyColumn
-- current
CREATE TABLE boxes (id integer PRIMARY KEY, w integer, area integer GENERATED ALWAYS AS (w * w) STORED);
INSERT INTO boxes (id, w) VALUES (1, 2);
-- desired
CREATE TABLE boxes (id integer PRIMARY KEY, w integer, area integer);
