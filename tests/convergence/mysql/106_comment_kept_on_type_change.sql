-- current
CREATE TABLE docs (id INT PRIMARY KEY, title VARCHAR(20) COMMENT 'the title');
INSERT INTO docs VALUES (1, 't');
-- desired
CREATE TABLE docs (id INT PRIMARY KEY, title VARCHAR(200) COMMENT 'the title');
