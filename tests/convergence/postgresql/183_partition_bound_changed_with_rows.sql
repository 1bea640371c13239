-- expect: ModifyPartition
-- current
CREATE TABLE ledger (id integer NOT NULL, booked date NOT NULL, amount numeric, PRIMARY KEY (id, booked))
    PARTITION BY RANGE (booked);
CREATE TABLE ledger_h1 PARTITION OF ledger FOR VALUES FROM ('2024-01-01') TO ('2024-10-01');
CREATE TABLE ledger_h2 PARTITION OF ledger FOR VALUES FROM ('2024-10-01') TO ('2025-01-01');
CREATE TABLE ledger_region (id integer NOT NULL, region text) PARTITION BY LIST (region);
CREATE TABLE ledger_region_a PARTITION OF ledger_region FOR VALUES IN ('a');
CREATE INDEX ledger_amount_idx ON ledger (amount);
INSERT INTO ledger VALUES (1, '2024-02-01', 10), (2, '2024-05-01', 20), (3, '2024-11-01', 30);
INSERT INTO ledger_region VALUES (1, 'a'), (2, 'a');
-- desired
CREATE TABLE ledger (id integer NOT NULL, booked date NOT NULL, amount numeric, PRIMARY KEY (id, booked))
    PARTITION BY RANGE (booked);
CREATE TABLE ledger_h1 PARTITION OF ledger FOR VALUES FROM ('2024-01-01') TO ('2024-07-01');
CREATE TABLE ledger_h2 PARTITION OF ledger FOR VALUES FROM ('2024-07-01') TO ('2025-01-01');
CREATE TABLE ledger_region (id integer NOT NULL, region text) PARTITION BY LIST (region);
CREATE TABLE ledger_region_a PARTITION OF ledger_region FOR VALUES IN ('a', 'aa');
CREATE INDEX ledger_amount_idx ON ledger (amount);
