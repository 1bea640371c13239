-- hints: column t.UserName=user_name
-- expect: RenameColumn
-- current
CREATE TABLE t (id INT PRIMARY KEY, UserName VARCHAR(20));
INSERT INTO t VALUES (1, 'a');
-- desired
CREATE TABLE t (id INT PRIMARY KEY, user_name VARCHAR(20));
