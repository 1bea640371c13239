-- expect: ModifyPrimaryKey
-- current
CREATE TABLE orders (id INT NOT NULL, region INT NOT NULL, v INT, PRIMARY KEY (id) COMMENT 'the order');
CREATE TABLE regions (id INT NOT NULL, v INT, PRIMARY KEY (id) COMMENT 'old');
INSERT INTO orders VALUES (1, 1, 5), (2, 1, 6);
INSERT INTO regions VALUES (1, 2);
-- desired
CREATE TABLE orders (id INT NOT NULL, region INT NOT NULL, v INT, PRIMARY KEY (region, id) COMMENT 'the order, by region');
CREATE TABLE regions (id INT NOT NULL, v INT, PRIMARY KEY (id) COMMENT 'new');
