-- expect: AddTable
-- current
CREATE TABLE anchor (id INTEGER PRIMARY KEY);
INSERT INTO anchor VALUES (1);
-- desired
CREATE TABLE anchor (id INTEGER PRIMARY KEY);
CREATE TABLE teams (id INTEGER PRIMARY KEY, captain_id INTEGER REFERENCES players (id));
CREATE TABLE players (id INTEGER PRIMARY KEY, team_id INTEGER REFERENCES teams (id));
