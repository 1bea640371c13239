-- expect: ModifyTable
-- current
CREATE TABLE notes (id INT PRIMARY KEY, body TEXT COMMENT 'the body') COMMENT = 'Notes of the user';
INSERT INTO notes VALUES (1, 'b');
-- desired
CREATE TABLE notes (id INT PRIMARY KEY, body TEXT);
