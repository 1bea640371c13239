-- expect: ModifyColumn
-- current
CREATE TABLE m (id integer PRIMARY KEY, n numeric(10, 2));
INSERT INTO m VALUES (1, 4.00);
-- desired
CREATE TABLE m (id integer PRIMARY KEY, n integer);
