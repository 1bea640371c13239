-- expect: ModifyObject
-- current
CREATE TABLE users (id integer PRIMARY KEY, age integer, touched timestamptz);
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.touched := now(); RETURN NEW; END $$;
CREATE TRIGGER users_touch BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION touch();
CREATE TRIGGER users_audit AFTER INSERT ON users FOR EACH ROW EXECUTE FUNCTION touch();
INSERT INTO users VALUES (1, 2, NULL);
-- desired
CREATE TABLE users (id integer PRIMARY KEY, age integer, touched timestamptz);
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.touched := now(); RETURN NEW; END $$;
CREATE TRIGGER users_touch BEFORE INSERT OR UPDATE OF age ON users FOR EACH ROW WHEN (NEW.age IS NOT NULL) EXECUTE FUNCTION touch();
CREATE TRIGGER users_audit AFTER INSERT ON users FOR EACH ROW EXECUTE FUNCTION touch();
ALTER TABLE users DISABLE TRIGGER users_audit;
COMMENT ON TRIGGER users_touch ON users IS 'keeps touched current';
