-- expect: ModifyColumn
-- current
CREATE TABLE boxes (id INT PRIMARY KEY, w INT, h INT, area INT AS (w * h) STORED, perimeter INT AS (2 * (w + h)) VIRTUAL);
INSERT INTO boxes (id, w, h) VALUES (1, 2, 3), (2, 4, 5);
-- desired
CREATE TABLE boxes (id INT PRIMARY KEY, w INT, h INT, area INT AS (w * h) VIRTUAL, perimeter INT AS (2 * (w + h)) STORED);
