-- expect: AddColumn ModifyColumn AddUnique
-- current
CREATE TABLE "Users" (id integer PRIMARY KEY, "Name" text);
CREATE TABLE users (id integer PRIMARY KEY, name text);
INSERT INTO "Users" VALUES (1, 'Big');
INSERT INTO users VALUES (1, 'small');
-- desired
CREATE TABLE "Users" (id integer PRIMARY KEY, "Name" text NOT NULL, "Email" text);
CREATE TABLE users (id integer PRIMARY KEY, name text, email text UNIQUE);
