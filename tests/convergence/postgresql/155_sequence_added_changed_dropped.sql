-- catalog-differs: ALTER SEQUENCE invoice_numbers OWNED | planner gap: a column whose default takes nextval of a sequence it owns is planned as serial (t_invoice_seq), not with invoice_numbers
-- catalog-differs: ALTER SEQUENCE t_invoice_seq OWNED | planner gap: a column whose default takes nextval of a sequence it owns is planned as serial (t_invoice_seq), not with invoice_numbers
-- catalog-differs: ALTER TABLE ONLY t | planner gap: a column whose default takes nextval of a sequence it owns is planned as serial (t_invoice_seq), not with invoice_numbers
-- catalog-differs: CREATE SEQUENCE invoice_numbers START | planner gap: a column whose default takes nextval of a sequence it owns is planned as serial (t_invoice_seq), not with invoice_numbers
-- catalog-differs: CREATE SEQUENCE t_invoice_seq START | planner gap: a column whose default takes nextval of a sequence it owns is planned as serial (t_invoice_seq), not with invoice_numbers
-- expect: AddObject ModifyObject DropObject
-- current
CREATE SEQUENCE tickets START 100;
CREATE SEQUENCE old_numbers;
CREATE TABLE t (id integer PRIMARY KEY, ticket bigint DEFAULT nextval('tickets'));
INSERT INTO t (id) VALUES (1);
-- desired
CREATE SEQUENCE tickets AS integer START 100 INCREMENT 10 MAXVALUE 1000000 CACHE 5 CYCLE;
CREATE SEQUENCE invoice_numbers START 1000;
CREATE SEQUENCE spare AS smallint START 5 INCREMENT -1 MINVALUE -100 MAXVALUE 5;
CREATE TABLE t (id integer PRIMARY KEY, ticket bigint DEFAULT nextval('tickets'), invoice bigint NOT NULL DEFAULT nextval('invoice_numbers'));
ALTER SEQUENCE invoice_numbers OWNED BY t.invoice;
COMMENT ON SEQUENCE tickets IS 'ticket numbers';
