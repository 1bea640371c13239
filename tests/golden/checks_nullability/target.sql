-- A security-relevant CHECK the current schema lacks, one spelled differently but equal,
-- and nullability/default drift in both directions.
CREATE TABLE audit_logs (
    id TEXT PRIMARY KEY,
    actor_type TEXT NOT NULL,
    entity_type TEXT NOT NULL,
    reason TEXT,
    source TEXT NOT NULL DEFAULT 'api',
    ip_address TEXT NOT NULL,
    note TEXT,
    CONSTRAINT valid_actor_type CHECK (actor_type IN ('user', 'system', 'anonymous')),
    CONSTRAINT valid_entity_type CHECK (entity_type IN ('anime', 'episode'))
);
