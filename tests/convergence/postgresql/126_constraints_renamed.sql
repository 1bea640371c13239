-- A primary key named p_pkey in the target would be PostgreSQL's default name, which an
-- unnamed target has too: p_pk_old would keep its name (see plan/names.py and tests/test_plan_scope.py).
-- names: p_primary fk_c_p ck_c_n uq_c_code
-- current
CREATE TABLE p (id integer CONSTRAINT p_pk_old PRIMARY KEY);
CREATE TABLE c (id integer PRIMARY KEY, p_id integer CONSTRAINT fk_old REFERENCES p (id), n integer CONSTRAINT ck_old CHECK (n > 0),
    code text CONSTRAINT uq_old UNIQUE);
INSERT INTO p VALUES (1);
INSERT INTO c VALUES (1, 1, 2, 'a');
-- desired
CREATE TABLE p (id integer CONSTRAINT p_primary PRIMARY KEY);
CREATE TABLE c (id integer PRIMARY KEY, p_id integer CONSTRAINT fk_c_p REFERENCES p (id), n integer CONSTRAINT ck_c_n CHECK (n > 0),
    code text CONSTRAINT uq_c_code UNIQUE);
