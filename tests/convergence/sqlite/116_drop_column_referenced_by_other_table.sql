-- expect: DropColumn DropForeignKey
-- current
CREATE TABLE codes (id INTEGER PRIMARY KEY, code TEXT UNIQUE);
CREATE TABLE uses (id INTEGER PRIMARY KEY, code TEXT REFERENCES codes (code));
INSERT INTO codes VALUES (1, 'c');
INSERT INTO uses VALUES (1, 'c');
-- desired
CREATE TABLE codes (id INTEGER PRIMARY KEY);
CREATE TABLE uses (id INTEGER PRIMARY KEY, code TEXT);
