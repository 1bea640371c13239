-- expect: ModifyColumn
-- current
CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);
CREATE TABLE audit (id INTEGER PRIMARY KEY, user_id INTEGER, note TEXT);
CREATE VIEW user_names AS SELECT name FROM users;
CREATE TRIGGER audit_user AFTER INSERT ON audit BEGIN UPDATE users SET name = name WHERE id = NEW.user_id; END;
INSERT INTO users VALUES (1, 'ann');
INSERT INTO audit VALUES (1, 1, 'x');
-- desired
CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE audit (id INTEGER PRIMARY KEY, user_id INTEGER, note TEXT);
