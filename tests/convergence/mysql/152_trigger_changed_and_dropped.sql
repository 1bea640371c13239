-- expect: ModifyObject DropObject AddObject
-- current
CREATE TABLE users (id INT PRIMARY KEY, name VARCHAR(20), code VARCHAR(20));
CREATE TRIGGER users_upper BEFORE INSERT ON users FOR EACH ROW SET NEW.name = UPPER(NEW.name);
CREATE TRIGGER users_code BEFORE UPDATE ON users FOR EACH ROW SET NEW.code = LOWER(NEW.code);
INSERT INTO users VALUES (1, 'A', 'x');
-- desired
CREATE TABLE users (id INT PRIMARY KEY, name VARCHAR(20), code VARCHAR(20));
CREATE TRIGGER users_upper BEFORE INSERT ON users FOR EACH ROW BEGIN SET NEW.name = UPPER(TRIM(NEW.name)); SET NEW.code = COALESCE(NEW.code, 'none'); END;
CREATE TRIGGER users_audit AFTER DELETE ON users FOR EACH ROW SET @deleted = OLD.id;
