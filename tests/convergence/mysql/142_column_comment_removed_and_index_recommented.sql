-- expect: ModifyColumn ModifyIndex
-- current
CREATE TABLE docs (id INT PRIMARY KEY, body TEXT COMMENT 'the body', title VARCHAR(40) COMMENT 'kept', KEY ix_title (title) COMMENT 'old', UNIQUE KEY uq_title (title, id) COMMENT 'unique words');
INSERT INTO docs VALUES (1, 'b', 't');
-- desired
CREATE TABLE docs (id INT PRIMARY KEY, body TEXT, title VARCHAR(40) COMMENT 'kept', KEY ix_title (title), UNIQUE KEY uq_title (title, id));
