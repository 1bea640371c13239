-- hints: table owners=people
-- expect: RenameTable
-- current
CREATE TABLE owners (id INT PRIMARY KEY);
CREATE TABLE pets (id INT PRIMARY KEY, owner_id INT, CONSTRAINT fk_pets_owner FOREIGN KEY (owner_id) REFERENCES owners (id));
INSERT INTO owners VALUES (1);
INSERT INTO pets VALUES (1, 1);
-- desired
CREATE TABLE people (id INT PRIMARY KEY);
CREATE TABLE pets (id INT PRIMARY KEY, owner_id INT, CONSTRAINT fk_pets_owner FOREIGN KEY (owner_id) REFERENCES people (id));
