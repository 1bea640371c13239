-- expect: DropTable
-- current
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    name VARCHAR(50) NOT NULL,
    email VARCHAR(100)
);
INSERT INTO users VALUES (1, 'ann', 'ann@example.com');
INSERT INTO users VALUES (2, 'bob', NULL);
INSERT INTO users VALUES (3, 'cy', 'cy@example.com');
CREATE TABLE groups_ (id INTEGER PRIMARY KEY, name VARCHAR(20));
CREATE TABLE group_members (id INTEGER PRIMARY KEY, group_id INTEGER REFERENCES groups_ (id), user_id INTEGER REFERENCES users (id));
INSERT INTO groups_ VALUES (1, 'g');
INSERT INTO group_members VALUES (1, 1, 1);
-- desired
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    name VARCHAR(50) NOT NULL,
    email VARCHAR(100)
);
