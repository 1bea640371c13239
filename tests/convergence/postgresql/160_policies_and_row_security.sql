-- expect: AddObject ModifyObject DropObject
-- current
CREATE TABLE orders (id integer PRIMARY KEY, user_id integer);
CREATE TABLE notes (id integer PRIMARY KEY);
ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY own ON orders USING (user_id > 0);
CREATE POLICY gone ON orders FOR DELETE USING (false);
INSERT INTO orders VALUES (1, 1);
-- desired
CREATE TABLE orders (id integer PRIMARY KEY, user_id integer);
CREATE TABLE notes (id integer PRIMARY KEY);
ALTER TABLE orders ENABLE ROW LEVEL SECURITY;
ALTER TABLE orders FORCE ROW LEVEL SECURITY;
CREATE POLICY own ON orders FOR SELECT USING (user_id > 1);
CREATE POLICY strict_insert ON orders AS RESTRICTIVE FOR INSERT WITH CHECK (user_id IS NOT NULL);
