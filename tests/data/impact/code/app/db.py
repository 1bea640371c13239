"""Data access for the backend."""

import sqlite3


def get_user(conn: sqlite3.Connection, user_id: str):
    return conn.execute("SELECT id, username FROM users WHERE id = ?", (user_id,)).fetchone()


def list_projects(conn: sqlite3.Connection, user_id: str):
    sql = 'SELECT p.id, p.slug FROM "projects" p WHERE p."user_id" = ? AND p.status = ?'
    return conn.execute(sql, (user_id, "active")).fetchall()


def runs_for(conn: sqlite3.Connection, project_id: str):
    rows = conn.execute(
        "SELECT runs.mode, runs.model, meta_json FROM runs WHERE project_id = ? ORDER BY id",
        (project_id,),
    )
    return [dict(mode=r[0], model=r[1]) for r in rows]


def app_users_count(conn: sqlite3.Connection) -> int:
    # app_users and users_archive are longer names: this line uses neither old name
    return conn.execute("SELECT count(*) FROM app_users").fetchone()[0]


def record_cost(conn: sqlite3.Connection, project_id: str, usd: float) -> None:
    conn.execute("INSERT INTO cost_events (id, project_id, cost_usd) VALUES (?, ?, ?)", ("c1", project_id, usd))
