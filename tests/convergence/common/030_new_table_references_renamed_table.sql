-- hints: table users=members
-- expect: RenameTable AddTable
-- current
CREATE TABLE users (id INTEGER PRIMARY KEY, name VARCHAR(50));
INSERT INTO users VALUES (1, 'ann');
-- desired
CREATE TABLE members (id INTEGER PRIMARY KEY, name VARCHAR(50));
CREATE TABLE badges (id INTEGER PRIMARY KEY, member_id INTEGER NOT NULL REFERENCES members (id), label VARCHAR(30));
