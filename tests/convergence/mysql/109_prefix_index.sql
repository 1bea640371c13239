-- expect: AddIndex
-- current
CREATE TABLE pages (id INT PRIMARY KEY, url VARCHAR(500));
INSERT INTO pages VALUES (1, 'https://example.com');
-- desired
CREATE TABLE pages (id INT PRIMARY KEY, url VARCHAR(500));
CREATE INDEX ix_pages_url ON pages (url(40));
