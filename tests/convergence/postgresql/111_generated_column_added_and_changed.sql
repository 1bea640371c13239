-- expect: AddColumn ModifyColumn
-- current
CREATE TABLE boxes (id integer PRIMARY KEY, w integer, h integer, area integer GENERATED ALWAYS AS (w * h) STORED);
CREATE INDEX ix_boxes_area ON boxes (area);
INSERT INTO boxes (id, w, h) VALUES (1, 2, 3);
-- desired
CREATE TABLE boxes (id integer PRIMARY KEY, w integer, h integer, area integer GENERATED ALWAYS AS (w * h * 2) STORED,
    perimeter integer GENERATED ALWAYS AS (2 * (w + h)) STORED);
CREATE INDEX ix_boxes_area ON boxes (area);
