-- expect: AddObject ModifyObject DropObject
-- current
CREATE TABLE users (id INT PRIMARY KEY, age INT, name VARCHAR(20));
CREATE VIEW adults AS SELECT id, age FROM users WHERE age >= 18;
CREATE VIEW legacy AS SELECT id FROM users;
INSERT INTO users VALUES (1, 30, 'a');
-- desired
CREATE TABLE users (id INT PRIMARY KEY, age INT, name VARCHAR(20));
CREATE ALGORITHM=MERGE SQL SECURITY INVOKER VIEW adults AS SELECT id, age, name FROM users WHERE age >= 21 WITH CASCADED CHECK OPTION;
CREATE VIEW adult_names AS SELECT name FROM adults;
