-- expect: ModifyForeignKey
-- current
CREATE TABLE a (id integer PRIMARY KEY);
CREATE TABLE b (id integer PRIMARY KEY, a_id integer REFERENCES a (id));
INSERT INTO a VALUES (1);
INSERT INTO b VALUES (1, 1);
-- desired
CREATE TABLE a (id integer PRIMARY KEY);
CREATE TABLE b (id integer PRIMARY KEY, a_id integer REFERENCES a (id) DEFERRABLE INITIALLY DEFERRED);
