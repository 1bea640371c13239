-- expect: AddIndex AddForeignKey AddCheck AddPartition
-- current
CREATE TABLE customer (id integer PRIMARY KEY, name text);
CREATE TABLE payment (id integer NOT NULL, customer_id integer NOT NULL, amount numeric(5,2), paid date NOT NULL)
    PARTITION BY RANGE (paid);
CREATE TABLE payment_2024 PARTITION OF payment FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE payment_2025 PARTITION OF payment FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE INDEX payment_paid_idx ON payment (paid);
INSERT INTO customer VALUES (1, 'ann'), (2, 'bob');
INSERT INTO payment VALUES (1, 1, 9.99, '2024-05-01'), (2, 2, 4.99, '2025-02-01');
-- desired
CREATE TABLE customer (id integer PRIMARY KEY, name text);
CREATE TABLE payment (id integer NOT NULL, customer_id integer NOT NULL, amount numeric(5,2), paid date NOT NULL)
    PARTITION BY RANGE (paid);
CREATE TABLE payment_2024 PARTITION OF payment FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE payment_2025 PARTITION OF payment FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE payment_2026 PARTITION OF payment FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE INDEX payment_paid_idx ON payment (paid);
CREATE INDEX payment_2024_customer_idx ON payment_2024 (customer_id);
ALTER TABLE payment_2024 ADD CONSTRAINT payment_2024_customer_fkey FOREIGN KEY (customer_id) REFERENCES customer (id);
ALTER TABLE payment_2025 ADD CONSTRAINT payment_2025_amount_check CHECK (amount >= 0);
CREATE INDEX payment_2026_customer_idx ON payment_2026 (customer_id);
ALTER TABLE payment_2026 ADD CONSTRAINT payment_2026_customer_fkey FOREIGN KEY (customer_id) REFERENCES customer (id)
    ON DELETE CASCADE;
