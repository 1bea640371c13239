-- expect: ModifyColumn
-- current
CREATE TABLE prefs (id INT PRIMARY KEY, theme VARCHAR(10) DEFAULT 'light', size_ INT DEFAULT 12, ratio DECIMAL(5,2) DEFAULT 1.50, since DATE DEFAULT '2020-01-01', note TEXT DEFAULT 'none', kind ENUM('a','b') NOT NULL DEFAULT 'a', flag BIT(1) DEFAULT b'0', code CHAR(36) DEFAULT NULL, made DATETIME DEFAULT NULL);
INSERT INTO prefs (id) VALUES (1);
-- desired
CREATE TABLE prefs (id INT PRIMARY KEY, theme VARCHAR(10) DEFAULT 'it''s dark', size_ INT, ratio DECIMAL(5,2) DEFAULT 2.25, since DATE DEFAULT (CURRENT_DATE), note TEXT, kind ENUM('a','b') NOT NULL DEFAULT 'b', flag BIT(1) DEFAULT b'1', code CHAR(36) DEFAULT (UUID()), made DATETIME DEFAULT CURRENT_TIMESTAMP);
