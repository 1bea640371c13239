-- expect: ModifyTable ModifyColumn
-- current
CREATE TABLE m (id INTEGER PRIMARY KEY, v TEXT);
INSERT INTO m VALUES (1, '3');
-- desired
CREATE TABLE m (id INTEGER PRIMARY KEY, v INTEGER) STRICT;
