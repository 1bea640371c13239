-- expect: AddForeignKey
-- current
CREATE TABLE regions (country VARCHAR(2) NOT NULL, code VARCHAR(5) NOT NULL, name VARCHAR(40), PRIMARY KEY (country, code));
CREATE TABLE stores (id INTEGER PRIMARY KEY, country VARCHAR(2), region VARCHAR(5));
INSERT INTO regions VALUES ('US', 'CA', 'California');
INSERT INTO stores VALUES (1, 'US', 'CA');
-- desired
CREATE TABLE regions (country VARCHAR(2) NOT NULL, code VARCHAR(5) NOT NULL, name VARCHAR(40), PRIMARY KEY (country, code));
CREATE TABLE stores (id INTEGER PRIMARY KEY, country VARCHAR(2), region VARCHAR(5), FOREIGN KEY (country, region) REFERENCES regions (country, code));
