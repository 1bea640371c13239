-- hints: table users=members
-- expect: RenameTable
-- names: ix_members_email
-- current
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    name VARCHAR(50) NOT NULL,
    email VARCHAR(100)
);
INSERT INTO users VALUES (1, 'ann', 'ann@example.com');
INSERT INTO users VALUES (2, 'bob', NULL);
INSERT INTO users VALUES (3, 'cy', 'cy@example.com');
CREATE INDEX users_email_idx ON users (email);
-- desired
CREATE TABLE members (
    id INTEGER PRIMARY KEY,
    name VARCHAR(50) NOT NULL,
    email VARCHAR(100)
);
CREATE INDEX ix_members_email ON members (email);
