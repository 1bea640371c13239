-- expect: ModifyColumn
-- current
CREATE TABLE p (id integer PRIMARY KEY, code varchar(10));
CREATE TABLE c (id integer PRIMARY KEY, p_id integer REFERENCES p (id));
INSERT INTO p VALUES (1, 'x');
INSERT INTO c VALUES (1, 1);
-- desired
CREATE TABLE p (id bigint PRIMARY KEY, code text);
CREATE TABLE c (id integer PRIMARY KEY, p_id bigint REFERENCES p (id));
