CREATE TABLE users (id TEXT PRIMARY KEY);
CREATE TABLE anime (id TEXT PRIMARY KEY, title TEXT NOT NULL);
CREATE TABLE favorites (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    anime_id TEXT NOT NULL REFERENCES anime(id) ON DELETE CASCADE
);
CREATE TABLE refresh_tokens (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL
);
CREATE TABLE audit_logs (
    id TEXT PRIMARY KEY,
    actor_id TEXT,
    action TEXT NOT NULL
);
