-- The primary key goes and its column becomes nullable: the constraint must be dropped
-- before the NOT NULL (PostgreSQL refuses DROP NOT NULL on a primary key column).
-- expect: DropPrimaryKey ModifyColumn
-- current
CREATE TABLE e (
    id INTEGER NOT NULL,
    v VARCHAR(20),
    CONSTRAINT e_pkey PRIMARY KEY (id)
);
INSERT INTO e VALUES (1, 'a');
INSERT INTO e VALUES (2, 'b');
-- desired
CREATE TABLE e (
    id INTEGER,
    v VARCHAR(20)
);
