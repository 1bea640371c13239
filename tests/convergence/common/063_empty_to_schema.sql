-- expect: AddTable
-- current
-- nothing yet
-- desired
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    name VARCHAR(50) NOT NULL,
    email VARCHAR(100)
);
CREATE TABLE projects (id INTEGER PRIMARY KEY, owner_id INTEGER NOT NULL REFERENCES users (id), name VARCHAR(40) NOT NULL, UNIQUE (owner_id, name));
CREATE INDEX ix_projects_name ON projects (name);
