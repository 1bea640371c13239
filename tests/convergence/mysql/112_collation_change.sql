-- expect: ModifyColumn
-- current
CREATE TABLE names (id INT PRIMARY KEY, n VARCHAR(40));
INSERT INTO names VALUES (1, 'b');
-- desired
CREATE TABLE names (id INT PRIMARY KEY, n VARCHAR(40) COLLATE utf8mb4_bin);
