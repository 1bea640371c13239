-- expect: AddCheck
-- current
CREATE TABLE orders (id INT PRIMARY KEY, status VARCHAR(16) NOT NULL);
INSERT INTO orders VALUES (1, 'new');
-- desired
CREATE TABLE orders (id INT PRIMARY KEY, status VARCHAR(16) NOT NULL, CONSTRAINT ck_status CHECK (status IN ('new', 'paid')));
