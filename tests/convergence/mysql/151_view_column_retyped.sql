-- expect: ModifyColumn
-- current
CREATE TABLE users (id INT PRIMARY KEY, age INT, name VARCHAR(20));
CREATE VIEW adults AS SELECT id, age, name FROM users WHERE age >= 18;
CREATE VIEW adult_names AS SELECT name FROM adults;
INSERT INTO users VALUES (1, 30, 'a');
-- desired
CREATE TABLE users (id INT PRIMARY KEY, age BIGINT, name VARCHAR(40));
CREATE VIEW adults AS SELECT id, age, name FROM users WHERE age >= 18;
CREATE VIEW adult_names AS SELECT name FROM adults;
