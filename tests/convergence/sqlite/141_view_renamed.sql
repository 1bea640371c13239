-- expect: RenameObject
-- current
CREATE TABLE users (id INTEGER PRIMARY KEY, age INTEGER);
CREATE VIEW grown_ups AS SELECT id, age FROM users WHERE age >= 18;
INSERT INTO users VALUES (1, 30);
-- desired
CREATE TABLE users (id INTEGER PRIMARY KEY, age INTEGER);
CREATE VIEW adults AS SELECT id, age FROM users WHERE age >= 18;
