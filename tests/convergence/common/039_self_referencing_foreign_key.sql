-- expect: AddForeignKey
-- current
CREATE TABLE employees (id INTEGER PRIMARY KEY, manager_id INTEGER, name VARCHAR(40));
INSERT INTO employees VALUES (1, NULL, 'boss');
INSERT INTO employees VALUES (2, 1, 'worker');
-- desired
CREATE TABLE employees (id INTEGER PRIMARY KEY, manager_id INTEGER REFERENCES employees (id), name VARCHAR(40));
