-- expect: AddColumn
-- current
CREATE TABLE tickets (id integer PRIMARY KEY, title text);
INSERT INTO tickets VALUES (1, 't');
-- desired
CREATE TYPE ticket_state AS ENUM ('open', 'closed');
CREATE TABLE tickets (id integer PRIMARY KEY, title text, state ticket_state NOT NULL DEFAULT 'open');
