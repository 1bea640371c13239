-- expect: AddTable
-- current
CREATE TABLE note (id integer PRIMARY KEY);
-- desired
CREATE TABLE note (id integer PRIMARY KEY);
CREATE TABLE measurement (
    city_id integer NOT NULL,
    logdate date NOT NULL,
    peaktemp integer CHECK (peaktemp > -100),
    PRIMARY KEY (city_id, logdate)
) PARTITION BY RANGE (logdate);
CREATE TABLE measurement_2024 PARTITION OF measurement FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE measurement_2025 PARTITION OF measurement FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE measurement_rest PARTITION OF measurement DEFAULT;
CREATE INDEX measurement_peak_idx ON measurement (peaktemp);
CREATE TABLE customer (id bigint NOT NULL, region text NOT NULL, name text) PARTITION BY LIST (region);
CREATE TABLE customer_eu PARTITION OF customer FOR VALUES IN ('de', 'fr', 'it');
CREATE TABLE customer_us PARTITION OF customer FOR VALUES IN ('us');
CREATE TABLE customer_other PARTITION OF customer DEFAULT;
CREATE TABLE session (id uuid NOT NULL, user_id integer) PARTITION BY HASH (id);
CREATE TABLE session_0 PARTITION OF session FOR VALUES WITH (MODULUS 3, REMAINDER 0);
CREATE TABLE session_1 PARTITION OF session FOR VALUES WITH (MODULUS 3, REMAINDER 1);
CREATE TABLE session_2 PARTITION OF session FOR VALUES WITH (MODULUS 3, REMAINDER 2);
CREATE TABLE reading (
    city_id integer NOT NULL,
    logdate date NOT NULL,
    value numeric,
    FOREIGN KEY (city_id, logdate) REFERENCES measurement (city_id, logdate)
);
