-- expect: ModifyObject
-- current
CREATE TABLE users (id integer PRIMARY KEY, age integer, name text);
CREATE VIEW adults AS SELECT id, age, name FROM users WHERE age >= 18;
CREATE VIEW adult_names AS SELECT name FROM adults;
INSERT INTO users VALUES (1, 30, 'a');
-- desired
CREATE TABLE users (id integer PRIMARY KEY, age integer, name text);
CREATE VIEW adults AS SELECT id, name FROM users WHERE age >= 18;
CREATE VIEW adult_names AS SELECT name FROM adults;
