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
CREATE TABLE audit_log (id INTEGER PRIMARY KEY, msg VARCHAR(100));
INSERT INTO audit_log VALUES (1, 'x');
-- desired
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    name VARCHAR(50) NOT NULL,
    email VARCHAR(100)
);
