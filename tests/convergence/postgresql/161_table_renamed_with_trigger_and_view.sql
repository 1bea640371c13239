-- hints: table people=users
-- expect: RenameTable
-- current
CREATE TABLE people (id integer PRIMARY KEY, touched timestamptz);
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.touched := now(); RETURN NEW; END $$;
CREATE TRIGGER touch_row BEFORE UPDATE ON people FOR EACH ROW EXECUTE FUNCTION touch();
INSERT INTO people VALUES (1, NULL);
-- desired
CREATE TABLE users (id integer PRIMARY KEY, touched timestamptz);
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.touched := now(); RETURN NEW; END $$;
CREATE TRIGGER touch_row BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION touch();
