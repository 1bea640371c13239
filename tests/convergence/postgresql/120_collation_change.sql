-- expect: ModifyColumn
-- current
CREATE TABLE names (id integer PRIMARY KEY, n text);
INSERT INTO names VALUES (1, 'b');
-- desired
CREATE TABLE names (id integer PRIMARY KEY, n text COLLATE "C");
