-- expect: ModifyIndex|AddIndex
-- current
CREATE TABLE docs (id INT PRIMARY KEY, a INT, b VARCHAR(20), c INT, d INT, KEY ix_a (a), KEY ix_b (b) USING HASH, KEY ix_c (c) COMMENT 'old words', KEY ix_d (d) KEY_BLOCK_SIZE=4);
INSERT INTO docs VALUES (1, 1, 'x', 2, 3);
-- desired
CREATE TABLE docs (id INT PRIMARY KEY, a INT, b VARCHAR(20), c INT, d INT, KEY ix_a (a) USING BTREE, KEY ix_b (b) USING BTREE, KEY ix_c (c) COMMENT 'new words', KEY ix_d (d) KEY_BLOCK_SIZE=8, KEY ix_e (a, c) USING HASH COMMENT 'it''s new');
