-- expect: AddPrimaryKey AddUnique
-- current
CREATE TABLE items (id INTEGER, sku TEXT);
INSERT INTO items VALUES (1, 'a');
-- desired
CREATE TABLE items (id INTEGER, sku TEXT, CONSTRAINT pk_items PRIMARY KEY (id), CONSTRAINT uq_items_sku UNIQUE (sku));
