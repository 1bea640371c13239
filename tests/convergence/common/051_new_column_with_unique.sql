-- expect: AddColumn AddUnique
-- current
CREATE TABLE accounts (id INTEGER PRIMARY KEY, owner VARCHAR(20));
INSERT INTO accounts VALUES (1, 'p');
INSERT INTO accounts VALUES (2, 'q');
-- desired
CREATE TABLE accounts (id INTEGER PRIMARY KEY, owner VARCHAR(20), api_key VARCHAR(64) UNIQUE);
