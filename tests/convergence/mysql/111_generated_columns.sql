-- expect: AddColumn
-- current
CREATE TABLE boxes (id INT PRIMARY KEY, w INT, h INT);
INSERT INTO boxes VALUES (1, 2, 3);
-- desired
CREATE TABLE boxes (id INT PRIMARY KEY, w INT, h INT, area INT AS (w * h) VIRTUAL, perimeter INT AS (2 * (w + h)) STORED);
