-- expect: AddColumn AddForeignKey
-- current
CREATE TABLE owners (id INTEGER PRIMARY KEY);
CREATE TABLE pets (id INTEGER PRIMARY KEY, name TEXT);
INSERT INTO owners VALUES (1);
INSERT INTO pets VALUES (1, 'rex');
-- desired
CREATE TABLE owners (id INTEGER PRIMARY KEY);
CREATE TABLE pets (id INTEGER PRIMARY KEY, name TEXT, owner_id INTEGER REFERENCES owners (id) ON DELETE SET NULL);
