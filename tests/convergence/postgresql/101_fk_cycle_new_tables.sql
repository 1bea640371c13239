-- expect: AddTable
-- current
CREATE TABLE anchor (id integer PRIMARY KEY);
INSERT INTO anchor VALUES (1);
-- desired
CREATE TABLE anchor (id integer PRIMARY KEY);
CREATE TABLE teams (id integer PRIMARY KEY, captain_id integer);
CREATE TABLE players (id integer PRIMARY KEY, team_id integer REFERENCES teams (id));
ALTER TABLE teams ADD CONSTRAINT teams_captain_fk FOREIGN KEY (captain_id) REFERENCES players (id);
