-- expect: AddColumn DropColumn
-- current
CREATE TABLE profiles (id INTEGER PRIMARY KEY, bio VARCHAR(200), website VARCHAR(100), twitter VARCHAR(30));
INSERT INTO profiles VALUES (1, 'b', 'w', 't');
-- desired
CREATE TABLE profiles (id INTEGER PRIMARY KEY, bio VARCHAR(200), birth_year INTEGER, is_public BOOLEAN DEFAULT FALSE);
