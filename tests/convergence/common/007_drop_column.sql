-- expect: DropColumn
-- current
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    name VARCHAR(50) NOT NULL,
    email VARCHAR(100),
    legacy_flag INTEGER
);
INSERT INTO users VALUES (1, 'ann', 'ann@example.com', 1);
INSERT INTO users VALUES (2, 'bob', NULL, 0);
INSERT INTO users VALUES (3, 'cy', 'cy@example.com', NULL);
-- desired
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    name VARCHAR(50) NOT NULL,
    email VARCHAR(100)
);
