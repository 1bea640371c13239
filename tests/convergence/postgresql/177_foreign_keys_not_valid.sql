-- expect: AddForeignKey ModifyForeignKey AddTable
-- current
CREATE TABLE users (id bigint PRIMARY KEY);
CREATE TABLE posts (id bigint PRIMARY KEY, user_id bigint);
CREATE TABLE likes (id bigint PRIMARY KEY, user_id bigint);
ALTER TABLE likes ADD CONSTRAINT likes_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;
INSERT INTO users VALUES (1);
INSERT INTO posts VALUES (1, 1), (2, 99);
INSERT INTO likes VALUES (1, 1);
-- desired
CREATE TABLE users (id bigint PRIMARY KEY);
CREATE TABLE posts (id bigint PRIMARY KEY, user_id bigint);
CREATE TABLE likes (id bigint PRIMARY KEY, user_id bigint);
CREATE TABLE tokens (id bigint PRIMARY KEY, owner_id bigint);
ALTER TABLE ONLY posts ADD CONSTRAINT fk_rails_posts_user FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;
ALTER TABLE ONLY tokens ADD CONSTRAINT fk_rails_tokens_owner FOREIGN KEY (owner_id) REFERENCES users (id) NOT VALID;
ALTER TABLE likes ADD CONSTRAINT likes_user_fk FOREIGN KEY (user_id) REFERENCES users (id);
