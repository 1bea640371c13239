-- expect: DropPartition
-- current
CREATE TABLE event (id integer NOT NULL, kind text NOT NULL, body text) PARTITION BY LIST (kind);
CREATE TABLE event_click PARTITION OF event FOR VALUES IN ('click');
CREATE TABLE event_view PARTITION OF event FOR VALUES IN ('view');
CREATE TABLE event_legacy PARTITION OF event FOR VALUES IN ('legacy');
INSERT INTO event VALUES (1, 'click', 'a'), (2, 'view', 'b'), (3, 'click', 'c');
-- desired
CREATE TABLE event (id integer NOT NULL, kind text NOT NULL, body text) PARTITION BY LIST (kind);
CREATE TABLE event_click PARTITION OF event FOR VALUES IN ('click');
CREATE TABLE event_view PARTITION OF event FOR VALUES IN ('view');
