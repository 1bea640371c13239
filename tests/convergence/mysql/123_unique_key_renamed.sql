-- names: uq_t_code
-- current
CREATE TABLE t (id INT PRIMARY KEY, code VARCHAR(10), CONSTRAINT uq_old UNIQUE (code));
INSERT INTO t VALUES (1, 'a');
-- desired
CREATE TABLE t (id INT PRIMARY KEY, code VARCHAR(10), CONSTRAINT uq_t_code UNIQUE (code));
