-- expect: AddTable
-- current
CREATE TABLE anchor (id INT PRIMARY KEY);
INSERT INTO anchor VALUES (1);
-- desired
CREATE TABLE anchor (id INT PRIMARY KEY);
CREATE TABLE teams (id INT PRIMARY KEY, captain_id INT);
CREATE TABLE players (id INT PRIMARY KEY, team_id INT, CONSTRAINT players_team_fk FOREIGN KEY (team_id) REFERENCES teams (id));
ALTER TABLE teams ADD CONSTRAINT teams_captain_fk FOREIGN KEY (captain_id) REFERENCES players (id);
