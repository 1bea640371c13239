-- expect: AddColumn
-- current
CREATE TABLE users (id bigint PRIMARY KEY);
INSERT INTO users VALUES (1);
-- desired
CREATE TABLE users (id bigint PRIMARY KEY, name character varying);
CREATE TABLE schema_migrations (version character varying NOT NULL PRIMARY KEY);
CREATE TABLE ar_internal_metadata (
    key character varying NOT NULL PRIMARY KEY,
    value character varying,
    created_at timestamp(6) without time zone NOT NULL,
    updated_at timestamp(6) without time zone NOT NULL
);
INSERT INTO schema_migrations VALUES ('20240101000000');
