-- expect: ModifyColumn
-- current
CREATE TABLE codes (id INTEGER PRIMARY KEY, code VARCHAR(10));
INSERT INTO codes VALUES (1, '12');
INSERT INTO codes VALUES (2, '34');
-- desired
CREATE TABLE codes (id INTEGER PRIMARY KEY, code INTEGER);
