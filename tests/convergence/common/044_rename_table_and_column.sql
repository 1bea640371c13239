-- hints: table run_job_candidates=run_candidates; column run_candidates.output_path=output_uri
-- expect: RenameTable RenameColumn
-- current
CREATE TABLE run_job_candidates (id INTEGER PRIMARY KEY, job_id INTEGER, output_path VARCHAR(200));
INSERT INTO run_job_candidates VALUES (1, 1, 'out/1.png');
-- desired
CREATE TABLE run_candidates (id INTEGER PRIMARY KEY, job_id INTEGER, output_uri VARCHAR(200));
