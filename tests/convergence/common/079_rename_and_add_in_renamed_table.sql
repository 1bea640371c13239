-- hints: table users=app_users
-- expect: RenameTable AddColumn AddIndex
-- current
CREATE TABLE users (id INTEGER PRIMARY KEY, name VARCHAR(50));
INSERT INTO users VALUES (1, 'ann');
-- desired
CREATE TABLE app_users (id INTEGER PRIMARY KEY, name VARCHAR(50), created_on DATE);
CREATE INDEX ix_app_users_name ON app_users (name);
