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
CREATE TABLE projects (id INTEGER PRIMARY KEY, owner_id INTEGER REFERENCES users (id));
INSERT INTO projects VALUES (1, 1);
-- desired
-- nothing left
