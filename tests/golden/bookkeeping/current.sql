CREATE TABLE users (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE
);
CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY);
CREATE TABLE schema_migrations (version TEXT PRIMARY KEY, applied_at TEXT);
CREATE TRIGGER users_touch AFTER UPDATE ON users BEGIN SELECT 1; END;
CREATE VIEW active_users AS SELECT id FROM users;
