-- hints: table accounts=customers
-- expect: RenameTable
-- current
CREATE TABLE accounts (id INTEGER PRIMARY KEY, name VARCHAR(30));
CREATE TABLE invoices (id INTEGER PRIMARY KEY, account_id INTEGER REFERENCES accounts (id));
CREATE TABLE payments (id INTEGER PRIMARY KEY, account_id INTEGER REFERENCES accounts (id) ON DELETE CASCADE);
INSERT INTO accounts VALUES (1, 'a');
INSERT INTO invoices VALUES (1, 1);
INSERT INTO payments VALUES (1, 1);
-- desired
CREATE TABLE customers (id INTEGER PRIMARY KEY, name VARCHAR(30));
CREATE TABLE invoices (id INTEGER PRIMARY KEY, account_id INTEGER REFERENCES customers (id));
CREATE TABLE payments (id INTEGER PRIMARY KEY, account_id INTEGER REFERENCES customers (id) ON DELETE CASCADE);
