-- expect: AddIndex
-- current
CREATE TABLE places (id INT PRIMARY KEY, pos POINT NOT NULL, area POLYGON NOT NULL, SPATIAL KEY sp_area (area));
INSERT INTO places VALUES (1, POINT(1, 2), ST_GeomFromText('POLYGON((0 0,1 0,1 1,0 0))'));
-- desired
CREATE TABLE places (id INT PRIMARY KEY, pos POINT NOT NULL, area POLYGON NOT NULL, shape GEOMETRY NULL, SPATIAL KEY sp_pos (pos), SPATIAL INDEX sp_area (area) COMMENT 'areas');
