CREATE TABLE audit_logs (
    id TEXT PRIMARY KEY,
    actor_type TEXT NOT NULL,
    entity_type TEXT NOT NULL,
    reason TEXT NOT NULL,
    source TEXT NOT NULL,
    ip_address TEXT,
    note TEXT,
    CONSTRAINT valid_entity_type CHECK ("entity_type" in ('anime','episode')),
    CONSTRAINT legacy_note CHECK (note IS NULL OR note <> 'a|b`c' OR length(note) < 5)
);
