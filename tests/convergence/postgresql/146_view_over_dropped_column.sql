-- expect: DropColumn
-- current
CREATE TABLE users (id integer PRIMARY KEY, age integer, legacy text);
CREATE VIEW everything AS SELECT * FROM users;
INSERT INTO users VALUES (1, 30, 'x');
-- desired
CREATE TABLE users (id integer PRIMARY KEY, age integer);
CREATE VIEW everything AS SELECT * FROM users;
