-- hints: table users=app_users; column app_users.name=display_name; column posts.user_id=author_id
-- expect: RenameTable RenameColumn
-- options: sqlite_version=3.24.0
-- current
CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, email TEXT);
CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users (id) ON DELETE CASCADE);
INSERT INTO users VALUES (1, 'ann', 'a@x');
INSERT INTO posts VALUES (1, 1);
-- desired
CREATE TABLE app_users (id INTEGER PRIMARY KEY, display_name TEXT, email TEXT);
CREATE TABLE posts (id INTEGER PRIMARY KEY, author_id INTEGER REFERENCES app_users (id) ON DELETE CASCADE);
