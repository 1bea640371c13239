-- expect: RenameObject
-- current
CREATE TABLE users (id INT PRIMARY KEY, age INT);
CREATE VIEW adults AS SELECT id, age FROM users WHERE age >= 18;
CREATE FUNCTION is_adult(age INT) RETURNS TINYINT DETERMINISTIC RETURN age >= 18;
INSERT INTO users VALUES (1, 30);
-- desired
CREATE TABLE users (id INT PRIMARY KEY, age INT);
CREATE VIEW grown_ups AS SELECT id, age FROM users WHERE age >= 18;
CREATE FUNCTION is_grown_up(age INT) RETURNS TINYINT DETERMINISTIC RETURN age >= 18;
