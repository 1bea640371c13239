-- expect: AddColumn ModifyColumn AddIndex
-- current
CREATE TABLE x (id INTEGER PRIMARY KEY);
INSERT INTO x VALUES (1);
CREATE TABLE "a""; DROP TABLE x; --" (id INTEGER PRIMARY KEY, "we""ird" VARCHAR(20));
INSERT INTO "a""; DROP TABLE x; --" VALUES (1, 'v');
-- desired
CREATE TABLE x (id INTEGER PRIMARY KEY);
CREATE TABLE "a""; DROP TABLE x; --" (id INTEGER PRIMARY KEY, "we""ird" VARCHAR(20) NOT NULL, "n""ew" INTEGER);
CREATE INDEX "i""x; DROP TABLE x" ON "a""; DROP TABLE x; --" ("we""ird");
