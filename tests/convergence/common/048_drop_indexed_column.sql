-- expect: DropColumn DropIndex
-- current
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    name VARCHAR(50) NOT NULL,
    email VARCHAR(100),
    nick VARCHAR(20)
);
INSERT INTO users VALUES (1, 'ann', 'ann@example.com', 'a');
INSERT INTO users VALUES (2, 'bob', NULL, 'b');
INSERT INTO users VALUES (3, 'cy', 'cy@example.com', 'c');
CREATE INDEX ix_users_nick ON users (nick);
-- desired
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    name VARCHAR(50) NOT NULL,
    email VARCHAR(100)
);
