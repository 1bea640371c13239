-- catalog-differs: mysql table scores | the plan adds the CHECK as a table constraint named points; the target declares it on the column, which MariaDB shows inline
-- expect: AddColumn AddCheck
-- current
CREATE TABLE scores (id INTEGER PRIMARY KEY, player VARCHAR(20));
INSERT INTO scores VALUES (1, 'p');
-- desired
CREATE TABLE scores (id INTEGER PRIMARY KEY, player VARCHAR(20), points INTEGER CHECK (points >= 0));
