-- hints: column items.qty=quantity
-- expect: RenameColumn ModifyColumn
-- current
CREATE TABLE items (id INTEGER PRIMARY KEY, qty VARCHAR(10), label VARCHAR(40));
INSERT INTO items VALUES (1, '5', 'a');
INSERT INTO items VALUES (2, '17', 'b');
INSERT INTO items VALUES (3, NULL, 'c');
-- desired
CREATE TABLE items (id INTEGER PRIMARY KEY, quantity INTEGER, label VARCHAR(40));
