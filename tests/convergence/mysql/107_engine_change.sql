-- expect: ModifyTable
-- current
CREATE TABLE cache (id INT PRIMARY KEY, v VARCHAR(10)) ENGINE = InnoDB;
INSERT INTO cache VALUES (1, 'a');
-- desired
CREATE TABLE cache (id INT PRIMARY KEY, v VARCHAR(10)) ENGINE = Aria;
