-- expect: ModifyColumn
-- current
CREATE TABLE loose (id INTEGER PRIMARY KEY, anything, n TEXT);
INSERT INTO loose VALUES (1, 'x', '5');
-- desired
CREATE TABLE loose (id INTEGER PRIMARY KEY, anything TEXT, n INTEGER);
