CREATE TABLE people (
    pk TEXT PRIMARY KEY,
    display TEXT NOT NULL
);
CREATE TABLE orders (
    id TEXT PRIMARY KEY,
    member_id TEXT NOT NULL,
    total REAL NOT NULL,
    coupon TEXT
);
CREATE TABLE parser_jobs (id TEXT PRIMARY KEY, state TEXT NOT NULL);
CREATE TABLE parser_sources (id TEXT PRIMARY KEY, url TEXT NOT NULL);
