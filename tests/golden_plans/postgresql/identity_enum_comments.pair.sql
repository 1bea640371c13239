-- current
CREATE TABLE tickets (id serial PRIMARY KEY, title varchar(50) NOT NULL, state text DEFAULT 'open', body text);
INSERT INTO tickets (title) VALUES ('t');
-- desired
CREATE TYPE ticket_state AS ENUM ('open', 'closed');
CREATE TABLE tickets (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY, title varchar(200) NOT NULL,
    state ticket_state NOT NULL DEFAULT 'open', body text, words integer GENERATED ALWAYS AS (length(body)) STORED);
COMMENT ON TABLE tickets IS 'Support tickets';
COMMENT ON COLUMN tickets.title IS 'One line';
