-- expect: ModifyColumn
-- current
CREATE TABLE m (id INT PRIMARY KEY, price DOUBLE, ratio DECIMAL(5, 2));
INSERT INTO m VALUES (1, 1.5, 0.25);
-- desired
CREATE TABLE m (id INT PRIMARY KEY, price DECIMAL(12, 2), ratio DECIMAL(7, 3));
