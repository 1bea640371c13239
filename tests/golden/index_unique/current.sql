CREATE TABLE users (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL,
    created_at TEXT NOT NULL,
    CONSTRAINT uq_users_email UNIQUE (email)
);
