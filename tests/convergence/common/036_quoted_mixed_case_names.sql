-- expect: AddColumn AddIndex
-- current
CREATE TABLE "UserAccounts" ("Id" INTEGER PRIMARY KEY, "DisplayName" VARCHAR(50));
INSERT INTO "UserAccounts" VALUES (1, 'Ann');
-- desired
CREATE TABLE "UserAccounts" ("Id" INTEGER PRIMARY KEY, "DisplayName" VARCHAR(50), "EmailAddress" VARCHAR(100));
CREATE INDEX "IX_UserAccounts_Email" ON "UserAccounts" ("EmailAddress");
