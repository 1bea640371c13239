-- The model says index=True on email and unique=True: the unique constraint's own index
-- already serves it. The (created_at) index is genuinely missing.
CREATE TABLE users (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL,
    created_at TEXT NOT NULL,
    CONSTRAINT uq_users_email UNIQUE (email)
);
CREATE INDEX ix_users_email ON users (email);
CREATE INDEX ix_users_created_at ON users (created_at);
