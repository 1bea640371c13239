-- expect: ModifyColumn
-- current
CREATE TABLE log (id INTEGER PRIMARY KEY, msg TEXT);
INSERT INTO log VALUES (1, 'a');
INSERT INTO log VALUES (7, 'b');
-- desired
CREATE TABLE log (id INTEGER PRIMARY KEY AUTOINCREMENT, msg TEXT);
