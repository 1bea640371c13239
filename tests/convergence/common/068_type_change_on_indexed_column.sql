-- expect: ModifyColumn
-- current
CREATE TABLE codes (id INTEGER PRIMARY KEY, code VARCHAR(10));
CREATE INDEX ix_codes_code ON codes (code);
INSERT INTO codes VALUES (1, '7');
-- desired
CREATE TABLE codes (id INTEGER PRIMARY KEY, code INTEGER);
CREATE INDEX ix_codes_code ON codes (code);
