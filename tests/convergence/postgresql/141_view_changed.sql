-- expect: ModifyObject
-- current
CREATE TABLE users (id integer PRIMARY KEY, age integer, name text);
CREATE VIEW adults AS SELECT id, age FROM users WHERE age >= 18;
INSERT INTO users VALUES (1, 30, 'a');
-- desired
CREATE TABLE users (id integer PRIMARY KEY, age integer, name text);
CREATE VIEW adults AS SELECT id, age, name FROM users WHERE age >= 21;
