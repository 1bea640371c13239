-- expect: AddIndex
-- current
CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);
INSERT INTO users VALUES (1, 'A@x');
-- desired
CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);
CREATE UNIQUE INDEX ux_users_email_lower ON users (lower(email));
