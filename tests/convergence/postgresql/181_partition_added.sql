-- expect: AddPartition
-- current
CREATE TABLE measurement (city_id integer NOT NULL, logdate date NOT NULL, peaktemp integer) PARTITION BY RANGE (logdate);
CREATE TABLE measurement_2024 PARTITION OF measurement FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE INDEX measurement_city_idx ON measurement (city_id);
INSERT INTO measurement VALUES (1, '2024-03-01', 20), (2, '2024-08-01', 31);
-- desired
CREATE TABLE measurement (city_id integer NOT NULL, logdate date NOT NULL, peaktemp integer) PARTITION BY RANGE (logdate);
CREATE TABLE measurement_2024 PARTITION OF measurement FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE measurement_2025 PARTITION OF measurement FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE measurement_old PARTITION OF measurement FOR VALUES FROM (MINVALUE) TO ('2024-01-01');
CREATE INDEX measurement_city_idx ON measurement (city_id);
