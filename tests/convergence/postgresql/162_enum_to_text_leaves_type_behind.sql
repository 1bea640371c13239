-- options: allow_drop=no
-- expect: ModifyColumn DropObject
-- current
CREATE TYPE mood AS ENUM ('ok', 'bad');
CREATE TABLE days (id integer PRIMARY KEY, m mood NOT NULL DEFAULT 'ok', was mood[]);
CREATE INDEX days_m ON days (m);
INSERT INTO days VALUES (1, 'bad', '{ok,bad}'), (2, 'ok', NULL);
-- desired
CREATE TABLE days (id integer PRIMARY KEY, m text NOT NULL DEFAULT 'ok', was text[]);
CREATE INDEX days_m ON days (m);
