-- hints: column users.name=full_name
-- options: sqlite_version=3.24.0
-- current
CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, email TEXT, legacy TEXT);
CREATE INDEX ix_users_email ON users (email);
-- desired
CREATE TABLE users (id INTEGER PRIMARY KEY, full_name TEXT, email TEXT UNIQUE);
