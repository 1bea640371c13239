CREATE TABLE invoices (
    id TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL,
    issued_at TEXT NOT NULL,
    paid INTEGER NOT NULL DEFAULT 0,
    payload TEXT NOT NULL DEFAULT '{}',
    amount REAL NOT NULL,
    line_count TEXT NOT NULL,
    reference TEXT NOT NULL,
    quantity BOOLEAN NOT NULL
);
