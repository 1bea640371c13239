-- expect: ModifyColumn
-- current
CREATE TYPE mood AS ENUM ('ok', 'bad');
CREATE TABLE days (id integer PRIMARY KEY, m mood);
INSERT INTO days VALUES (1, 'ok');
-- desired
CREATE TYPE mood AS ENUM ('ok', 'meh', 'bad');
CREATE TABLE days (id integer PRIMARY KEY, m mood);
