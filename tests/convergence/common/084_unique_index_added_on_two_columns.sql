-- expect: AddIndex|AddUnique
-- current
CREATE TABLE seats (id INTEGER PRIMARY KEY, row_no INTEGER, seat_no INTEGER);
INSERT INTO seats VALUES (1, 1, 1);
INSERT INTO seats VALUES (2, 1, 2);
-- desired
CREATE TABLE seats (id INTEGER PRIMARY KEY, row_no INTEGER, seat_no INTEGER);
CREATE UNIQUE INDEX ux_seats ON seats (row_no, seat_no);
