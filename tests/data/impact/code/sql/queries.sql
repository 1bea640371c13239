-- name: active_projects
SELECT p.id, u.username
FROM projects p
JOIN USERS u ON u.id = p.user_id
WHERE p.status = 'active';

-- name: project_runs
SELECT r.id, r.mode FROM runs AS r WHERE r.project_id = :project_id;
