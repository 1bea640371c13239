-- expect: DropObject
-- current
CREATE TABLE users (id integer PRIMARY KEY, touched timestamptz);
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.touched := now(); RETURN NEW; END $$;
CREATE TRIGGER users_touch BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION touch();
INSERT INTO users VALUES (1, NULL);
-- desired
CREATE TABLE users (id integer PRIMARY KEY, touched timestamptz);
