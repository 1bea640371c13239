-- expect: ModifyTable
-- current
CREATE TABLE reading (sensor integer NOT NULL, taken date NOT NULL, value real) PARTITION BY LIST (sensor);
CREATE TABLE reading_1 PARTITION OF reading FOR VALUES IN (1);
CREATE TABLE reading_other PARTITION OF reading DEFAULT;
CREATE INDEX reading_taken_idx ON reading (taken);
INSERT INTO reading VALUES (1, '2024-01-05', 1.5), (2, '2024-07-05', 2.5), (3, '2025-01-05', 3.5);
-- desired
CREATE TABLE reading (sensor integer NOT NULL, taken date NOT NULL, value real) PARTITION BY RANGE (taken);
CREATE TABLE reading_2024 PARTITION OF reading FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE reading_2025 PARTITION OF reading FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE INDEX reading_taken_idx ON reading (taken);
