-- expect: ModifyColumn ModifyObject
-- current
CREATE TABLE users (id INTEGER PRIMARY KEY, age INTEGER, touched TEXT);
CREATE TABLE log (id INTEGER PRIMARY KEY, what TEXT);
CREATE TRIGGER users_log AFTER INSERT ON users BEGIN INSERT INTO log (what) VALUES ('new'); END;
CREATE TRIGGER users_touch AFTER UPDATE ON users BEGIN UPDATE users SET touched = 'x' WHERE id = NEW.id; END;
CREATE VIEW adults AS SELECT id, age FROM users WHERE age >= 18;
INSERT INTO users VALUES (1, 30, NULL);
-- desired
CREATE TABLE users (id INTEGER PRIMARY KEY, age INTEGER NOT NULL, touched TEXT);
CREATE TABLE log (id INTEGER PRIMARY KEY, what TEXT);
CREATE TRIGGER users_log AFTER INSERT ON users BEGIN INSERT INTO log (what) VALUES ('new'); END;
CREATE TRIGGER users_touch AFTER UPDATE ON users BEGIN UPDATE users SET touched = 'z' WHERE id = NEW.id; END;
CREATE VIEW adults AS SELECT id, age FROM users WHERE age >= 18;
