-- expect: AddObject ModifyObject DropObject
-- current
CREATE TABLE users (id INTEGER PRIMARY KEY, age INTEGER, touched TEXT);
CREATE TABLE log (id INTEGER PRIMARY KEY, what TEXT);
CREATE TRIGGER users_touch AFTER UPDATE ON users BEGIN UPDATE users SET touched = 'x' WHERE id = NEW.id; END;
CREATE TRIGGER users_gone AFTER DELETE ON users BEGIN INSERT INTO log (what) VALUES ('gone'); END;
INSERT INTO users VALUES (1, 30, NULL);
-- desired
CREATE TABLE users (id INTEGER PRIMARY KEY, age INTEGER, touched TEXT);
CREATE TABLE log (id INTEGER PRIMARY KEY, what TEXT);
CREATE TRIGGER users_touch AFTER UPDATE OF age ON users BEGIN UPDATE users SET touched = 'y' WHERE id = NEW.id; END;
CREATE TRIGGER users_new AFTER INSERT ON users BEGIN INSERT INTO log (what) VALUES ('new'); END;
