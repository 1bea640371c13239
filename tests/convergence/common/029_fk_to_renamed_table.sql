-- hints: table users=members
-- expect: RenameTable
-- current
CREATE TABLE users (id INTEGER PRIMARY KEY, name VARCHAR(50));
CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users (id), body VARCHAR(200));
INSERT INTO users VALUES (1, 'ann');
INSERT INTO posts VALUES (1, 1, 'hi');
-- desired
CREATE TABLE members (id INTEGER PRIMARY KEY, name VARCHAR(50));
CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES members (id), body VARCHAR(200));
