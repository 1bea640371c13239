-- expect: AddTable
-- current
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    name VARCHAR(50) NOT NULL,
    email VARCHAR(100)
);
INSERT INTO users VALUES (1, 'ann', 'ann@example.com');
INSERT INTO users VALUES (2, 'bob', NULL);
INSERT INTO users VALUES (3, 'cy', 'cy@example.com');
-- desired
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    name VARCHAR(50) NOT NULL,
    email VARCHAR(100)
);
CREATE TABLE orgs (id INTEGER PRIMARY KEY, name VARCHAR(40));
CREATE TABLE org_members (id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES orgs (id), user_id INTEGER NOT NULL REFERENCES users (id));
CREATE TABLE member_roles (id INTEGER PRIMARY KEY, member_id INTEGER NOT NULL REFERENCES org_members (id) ON DELETE CASCADE, role VARCHAR(20));
