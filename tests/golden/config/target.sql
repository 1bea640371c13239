-- Config: parser_* ignored with a reason, SA113 raised to warning, a rename hint for a
-- rename no evidence could prove (people -> members shares no column names).
CREATE TABLE members (
    id TEXT PRIMARY KEY,
    full_name TEXT NOT NULL
);
CREATE TABLE orders (
    id TEXT PRIMARY KEY,
    member_id TEXT NOT NULL,
    total REAL NOT NULL
);
