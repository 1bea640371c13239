-- names: p_pkey fk_c_p ck_c_n uq_c_code
-- current
CREATE TABLE p (id integer CONSTRAINT p_pk_old PRIMARY KEY);
CREATE TABLE c (id integer PRIMARY KEY, p_id integer CONSTRAINT fk_old REFERENCES p (id), n integer CONSTRAINT ck_old CHECK (n > 0),
    code text CONSTRAINT uq_old UNIQUE);
INSERT INTO p VALUES (1);
INSERT INTO c VALUES (1, 1, 2, 'a');
-- desired
CREATE TABLE p (id integer CONSTRAINT p_pkey PRIMARY KEY);
CREATE TABLE c (id integer PRIMARY KEY, p_id integer CONSTRAINT fk_c_p REFERENCES p (id), n integer CONSTRAINT ck_c_n CHECK (n > 0),
    code text CONSTRAINT uq_c_code UNIQUE);
