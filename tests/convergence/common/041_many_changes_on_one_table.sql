-- hints: column assets.asset_kind=kind; column assets.rel_path=storage_uri; column assets.meta_json=metadata_json
-- expect: RenameColumn AddColumn AddCheck AddIndex
-- current
CREATE TABLE assets (id INTEGER PRIMARY KEY, asset_kind VARCHAR(20), rel_path VARCHAR(200), meta_json VARCHAR(400), size_bytes INTEGER);
INSERT INTO assets VALUES (1, 'image', 'a/b.png', '{}', 10);
INSERT INTO assets VALUES (2, 'video', 'c.mp4', NULL, 20);
-- desired
CREATE TABLE assets (id INTEGER PRIMARY KEY, kind VARCHAR(20) NOT NULL DEFAULT 'image', storage_uri VARCHAR(300), metadata_json VARCHAR(400),
    size_bytes BIGINT, mime_type VARCHAR(50), CHECK (size_bytes >= 0));
CREATE INDEX ix_assets_kind ON assets (kind);
