-- expect: AddUnique
-- current
CREATE TABLE slugs (id INTEGER PRIMARY KEY, owner_id INTEGER, slug VARCHAR(40));
INSERT INTO slugs VALUES (1, 1, 'a');
INSERT INTO slugs VALUES (2, 1, 'b');
INSERT INTO slugs VALUES (3, 2, 'a');
-- desired
CREATE TABLE slugs (id INTEGER PRIMARY KEY, owner_id INTEGER, slug VARCHAR(40), UNIQUE (owner_id, slug));
