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
