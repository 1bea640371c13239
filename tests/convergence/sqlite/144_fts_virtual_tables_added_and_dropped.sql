-- expect: AddObject DropObject
-- current
CREATE TABLE events (id INTEGER PRIMARY KEY, body TEXT);
CREATE VIRTUAL TABLE old_search USING fts4 (body);
INSERT INTO events VALUES (1, 'hello');
INSERT INTO old_search (body) VALUES ('hello');
-- desired
CREATE TABLE events (id INTEGER PRIMARY KEY, body TEXT);
CREATE VIRTUAL TABLE event_search USING fts4 ( event_id, room_id, sender, key, value );
CREATE VIRTUAL TABLE user_search USING fts5 (user_id, value);
CREATE VIEW searchable AS SELECT event_id, value FROM event_search;
