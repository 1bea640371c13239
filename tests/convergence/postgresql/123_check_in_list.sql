-- expect: AddCheck
-- current
CREATE TABLE orders (id integer PRIMARY KEY, status varchar(16) NOT NULL);
INSERT INTO orders VALUES (1, 'new');
-- desired
CREATE TABLE orders (id integer PRIMARY KEY, status varchar(16) NOT NULL CHECK (status IN ('new', 'paid', 'shipped')));
