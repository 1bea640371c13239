-- expect: AddTable AddColumn AddForeignKey AddIndex AddObject ModifyObject
-- current
CREATE TYPE status AS ENUM ('new', 'done');
CREATE TABLE owners (id integer PRIMARY KEY, name text);
CREATE TABLE tasks (id integer PRIMARY KEY, s status NOT NULL DEFAULT 'new', owner_id integer, title varchar(80));
INSERT INTO owners VALUES (1, 'ann'), (2, 'bob');
INSERT INTO tasks VALUES (1, 'new', 1, 'write'), (2, 'done', 2, 'read'), (3, 'new', NULL, 'rest');
-- desired
CREATE TYPE status AS ENUM ('new', 'doing', 'done');
CREATE TYPE priority AS ENUM ('low', 'high');
CREATE TABLE owners (id integer PRIMARY KEY, name text, email varchar(320));
CREATE TABLE tasks (
    id integer PRIMARY KEY,
    s status NOT NULL DEFAULT 'new',
    owner_id integer REFERENCES owners (id),
    title varchar(200),
    p priority DEFAULT 'low',
    CHECK (p <> 'high' OR owner_id IS NOT NULL)
);
CREATE INDEX tasks_owner ON tasks (owner_id);
CREATE INDEX tasks_open ON tasks (s) WHERE s <> 'done';
CREATE VIEW open_tasks AS SELECT id, owner_id, p FROM tasks WHERE s <> 'done';
CREATE TABLE labels (
    id serial PRIMARY KEY,
    task_id integer NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    name text UNIQUE,
    p priority
);
