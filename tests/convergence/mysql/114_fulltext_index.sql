-- expect: AddIndex
-- current
CREATE TABLE articles (id INT PRIMARY KEY, body TEXT);
INSERT INTO articles VALUES (1, 'hello world');
-- desired
CREATE TABLE articles (id INT PRIMARY KEY, body TEXT);
CREATE FULLTEXT INDEX ft_articles_body ON articles (body);
