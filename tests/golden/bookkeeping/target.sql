-- Models never declare the migration tools' own tables; nothing else differs.
CREATE TABLE users (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE
);
CREATE TABLE schema_migrations (version TEXT PRIMARY KEY);
CREATE VIEW active_users AS SELECT id FROM users;
CREATE TRIGGER users_touch AFTER UPDATE ON users BEGIN SELECT 1; END;
