-- expect: AddColumn AddCheck
-- current
CREATE TABLE scores (id INTEGER PRIMARY KEY, player VARCHAR(20));
INSERT INTO scores VALUES (1, 'p');
-- desired
CREATE TABLE scores (id INTEGER PRIMARY KEY, player VARCHAR(20), points INTEGER CHECK (points >= 0));
