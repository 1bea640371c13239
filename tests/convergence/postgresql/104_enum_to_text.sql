-- expect: ModifyColumn
-- current
CREATE TYPE mood AS ENUM ('ok', 'bad');
CREATE TABLE days (id integer PRIMARY KEY, m mood DEFAULT 'ok');
INSERT INTO days VALUES (1, 'bad');
-- desired
CREATE TABLE days (id integer PRIMARY KEY, m text DEFAULT 'ok');
