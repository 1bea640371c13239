-- expect: AddTable DropTable AddColumn AddUnique AddIndex
-- current
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    name VARCHAR(50) NOT NULL,
    email VARCHAR(100)
);
INSERT INTO users VALUES (1, 'ann', 'ann@example.com');
INSERT INTO users VALUES (2, 'bob', NULL);
INSERT INTO users VALUES (3, 'cy', 'cy@example.com');
CREATE TABLE tags (id INTEGER PRIMARY KEY, label VARCHAR(20));
CREATE TABLE obsolete (id INTEGER PRIMARY KEY);
INSERT INTO tags VALUES (1, 't');
INSERT INTO obsolete VALUES (1);
-- desired
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    name VARCHAR(50) NOT NULL,
    email VARCHAR(100) UNIQUE
);
CREATE TABLE tags (id INTEGER PRIMARY KEY, label VARCHAR(20) NOT NULL, color VARCHAR(10) DEFAULT 'grey');
CREATE TABLE user_tags (user_id INTEGER NOT NULL REFERENCES users (id), tag_id INTEGER NOT NULL REFERENCES tags (id), PRIMARY KEY (user_id, tag_id));
CREATE INDEX ix_tags_label ON tags (label);
