-- expect: ModifyColumn
-- current
CREATE TABLE tickets (id INT PRIMARY KEY, state ENUM('open', 'closed') NOT NULL DEFAULT 'open');
INSERT INTO tickets VALUES (1, 'closed');
-- desired
CREATE TABLE tickets (id INT PRIMARY KEY, state ENUM('open', 'pending', 'closed') NOT NULL DEFAULT 'open');
