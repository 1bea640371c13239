-- expect: AddObject
-- current
CREATE TABLE users (id integer PRIMARY KEY, age integer);
INSERT INTO users VALUES (1, 30);
-- desired
CREATE TABLE users (id integer PRIMARY KEY, age integer);
CREATE VIEW adults AS SELECT id, age FROM users WHERE age >= 18;
CREATE VIEW old_adults AS SELECT id FROM adults WHERE age > 60;
