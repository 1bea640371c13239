-- expect: ModifyColumn
-- current
CREATE TABLE users (id integer PRIMARY KEY, age integer, name varchar(20));
CREATE VIEW adults AS SELECT id, age, name FROM users WHERE age >= 18;
CREATE VIEW adult_names AS SELECT name FROM adults;
CREATE MATERIALIZED VIEW ages AS SELECT age, count(*) AS n FROM users GROUP BY age;
CREATE UNIQUE INDEX ages_age ON ages (age);
INSERT INTO users VALUES (1, 30, 'a');
-- desired
CREATE TABLE users (id integer PRIMARY KEY, age bigint, name text);
CREATE VIEW adults AS SELECT id, age, name FROM users WHERE age >= 18;
CREATE VIEW adult_names AS SELECT name FROM adults;
CREATE MATERIALIZED VIEW ages AS SELECT age, count(*) AS n FROM users GROUP BY age;
CREATE UNIQUE INDEX ages_age ON ages (age);
