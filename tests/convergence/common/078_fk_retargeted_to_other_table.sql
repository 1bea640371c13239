-- catalog-differs: mysql table links | MariaDB names the index it creates for a re-added foreign key after the constraint (links_ibfk_1), not after its column (ref_id)
-- expect: AddForeignKey DropForeignKey
-- current
CREATE TABLE a (id INTEGER PRIMARY KEY);
CREATE TABLE b (id INTEGER PRIMARY KEY);
CREATE TABLE links (id INTEGER PRIMARY KEY, ref_id INTEGER REFERENCES a (id));
INSERT INTO a VALUES (1);
INSERT INTO b VALUES (1);
INSERT INTO links VALUES (1, 1);
-- desired
CREATE TABLE a (id INTEGER PRIMARY KEY);
CREATE TABLE b (id INTEGER PRIMARY KEY);
CREATE TABLE links (id INTEGER PRIMARY KEY, ref_id INTEGER REFERENCES b (id));
