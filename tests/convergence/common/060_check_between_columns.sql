-- expect: AddCheck
-- current
CREATE TABLE periods (id INTEGER PRIMARY KEY, start_day INTEGER NOT NULL, end_day INTEGER NOT NULL);
INSERT INTO periods VALUES (1, 1, 5);
-- desired
CREATE TABLE periods (id INTEGER PRIMARY KEY, start_day INTEGER NOT NULL, end_day INTEGER NOT NULL, CHECK (start_day <= end_day));
