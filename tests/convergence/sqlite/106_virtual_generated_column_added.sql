-- expect: AddColumn
-- current
CREATE TABLE people (id INTEGER PRIMARY KEY, first TEXT, last TEXT);
INSERT INTO people VALUES (1, 'Ann', 'Lee');
-- desired
CREATE TABLE people (id INTEGER PRIMARY KEY, first TEXT, last TEXT, full_name TEXT GENERATED ALWAYS AS (first || ' ' || last) VIRTUAL);
