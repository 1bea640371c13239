-- expect: RenameColumn|ModifyColumn
-- current
CREATE TABLE people (id INT PRIMARY KEY, UserName VARCHAR(20), email VARCHAR(40), KEY ix_name (UserName));
INSERT INTO people VALUES (1, 'a', 'a@example.com');
-- desired
CREATE TABLE people (id INT PRIMARY KEY, username VARCHAR(20), EMail VARCHAR(40), KEY ix_name (username));
