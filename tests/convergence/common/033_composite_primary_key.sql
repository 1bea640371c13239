-- expect: ModifyPrimaryKey
-- current
CREATE TABLE versions (doc_id INTEGER NOT NULL, version INTEGER NOT NULL, body VARCHAR(100), PRIMARY KEY (doc_id));
INSERT INTO versions VALUES (1, 1, 'x');
INSERT INTO versions VALUES (2, 1, 'y');
-- desired
CREATE TABLE versions (doc_id INTEGER NOT NULL, version INTEGER NOT NULL, body VARCHAR(100), PRIMARY KEY (doc_id, version));
