-- expect: ModifyObject
-- current
CREATE TYPE mood AS ENUM ('ok', 'bad');
CREATE TABLE days (id integer PRIMARY KEY, m mood);
CREATE VIEW bad_days AS SELECT id FROM days WHERE m = 'bad';
INSERT INTO days VALUES (1, 'ok');
-- desired
CREATE TYPE mood AS ENUM ('great', 'ok', 'meh', 'bad', 'awful');
CREATE TABLE days (id integer PRIMARY KEY, m mood);
CREATE VIEW bad_days AS SELECT id FROM days WHERE m = 'bad';
