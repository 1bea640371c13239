-- options: allow_drop=no
-- expect: ModifyObject AddTable
-- current
CREATE TYPE status AS ENUM ('new', 'done');
CREATE TABLE tasks (id integer PRIMARY KEY, s status NOT NULL DEFAULT 'new', prev status);
CREATE INDEX tasks_s ON tasks (s) WHERE s <> 'done';
INSERT INTO tasks VALUES (1, 'new', NULL), (2, 'done', 'new');
-- desired
CREATE TYPE status AS ENUM ('draft', 'new', 'doing', 'done', 'archived');
CREATE TABLE tasks (id integer PRIMARY KEY, s status NOT NULL DEFAULT 'new', prev status);
CREATE INDEX tasks_s ON tasks (s) WHERE s <> 'done';
CREATE TABLE archive (id integer PRIMARY KEY, s status NOT NULL DEFAULT 'archived');
