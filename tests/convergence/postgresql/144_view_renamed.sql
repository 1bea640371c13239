-- expect: RenameObject
-- current
CREATE TABLE users (id integer PRIMARY KEY, age integer);
CREATE VIEW grown_ups AS SELECT id, age FROM users WHERE age >= 18;
INSERT INTO users VALUES (1, 30);
-- desired
CREATE TABLE users (id integer PRIMARY KEY, age integer);
CREATE VIEW adults AS SELECT id, age FROM users WHERE age >= 18;
