-- A PostgreSQL-flavoured spec against SQLite storage.
CREATE TABLE invoices (
    id UUID PRIMARY KEY,
    customer_id UUID NOT NULL,
    issued_at TIMESTAMPTZ NOT NULL,
    paid BOOLEAN NOT NULL DEFAULT FALSE,
    payload JSONB NOT NULL DEFAULT '{}',
    amount NUMERIC(12, 2) NOT NULL,
    line_count INTEGER NOT NULL,
    reference TEXT NOT NULL,
    quantity INTEGER NOT NULL
);
