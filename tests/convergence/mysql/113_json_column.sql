-- expect: AddColumn
-- current
CREATE TABLE things (id INT PRIMARY KEY);
INSERT INTO things VALUES (1);
-- desired
CREATE TABLE things (id INT PRIMARY KEY, meta JSON);
