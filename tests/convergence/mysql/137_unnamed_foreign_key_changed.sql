-- expect: ModifyForeignKey
-- current
CREATE TABLE parents (id INT PRIMARY KEY, code INT UNIQUE);
CREATE TABLE kids (id INT PRIMARY KEY, parent_id INT, parent_code INT, FOREIGN KEY (parent_id) REFERENCES parents (id), FOREIGN KEY (parent_code) REFERENCES parents (code) ON DELETE SET NULL);
INSERT INTO parents VALUES (1, 10);
INSERT INTO kids VALUES (1, 1, 10);
-- desired
CREATE TABLE parents (id INT PRIMARY KEY, code INT UNIQUE);
CREATE TABLE kids (id INT PRIMARY KEY, parent_id INT, parent_code INT, FOREIGN KEY (parent_id) REFERENCES parents (id) ON DELETE CASCADE, FOREIGN KEY (parent_code) REFERENCES parents (code) ON UPDATE CASCADE);
