-- expect: AddTable AddForeignKey
-- current
CREATE TABLE items (id INTEGER PRIMARY KEY, category_id INTEGER);
INSERT INTO items VALUES (1, NULL);
-- desired
CREATE TABLE categories (id INTEGER PRIMARY KEY, name VARCHAR(30) NOT NULL);
CREATE TABLE items (id INTEGER PRIMARY KEY, category_id INTEGER REFERENCES categories (id));
