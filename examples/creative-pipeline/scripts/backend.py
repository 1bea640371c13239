"""Creative pipeline backend: the SQLite store behind the review UI and the agent worker.

This is the *older* schema, written before docs/TECH_SPEC.md section 5 (version 2.0): it
still has `users` instead of `app_users`, `run_job_candidates` instead of `run_candidates`,
file paths where the spec has asset ids, storage settings inside `projects.settings_json`,
and no creative-knowledge, quality or cost tables. `schemaudit` audits it against the spec:

    schemaudit audit --target spec:docs/TECH_SPEC.md#5 \
                     --current python:scripts/backend.py:init_schema

Usage: python scripts/backend.py init var/pipeline.db
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

SCHEMA_VERSION = "20250904_0007_agent_worker"
DEFAULT_STORAGE = {"local": {"base_dir": "var/projects"}, "s3": {"enabled": False}}


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def new_id() -> str:
    return str(uuid.uuid4())


def connect(db_path: str | Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(db_path))
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def ensure_column(conn: sqlite3.Connection, table: str, column: str, definition: str) -> bool:
    """Add a column if the table lacks it (SQLite has no ADD COLUMN IF NOT EXISTS)."""
    existing = {row["name"] for row in conn.execute(f"PRAGMA table_info({table})")}
    if column in existing:
        return False
    conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} {definition}")
    return True


CORE_TABLES = """
CREATE TABLE IF NOT EXISTS users (
    id TEXT PRIMARY KEY,
    username TEXT UNIQUE NOT NULL,
    display_name TEXT NOT NULL,
    email TEXT,
    is_active INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS projects (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'active',
    settings_json TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS project_api_secrets (
    id TEXT PRIMARY KEY,
    project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    provider_code TEXT NOT NULL,
    secret_name TEXT NOT NULL,
    secret_ciphertext TEXT NOT NULL,
    key_ref TEXT NOT NULL DEFAULT 'local-master',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (project_id, provider_code, secret_name)
);

CREATE TABLE IF NOT EXISTS project_snapshots (
    id TEXT PRIMARY KEY,
    project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    snapshot_json TEXT NOT NULL,
    created_at TEXT NOT NULL
);
"""

RUN_TABLES = """
CREATE TABLE IF NOT EXISTS assets (
    id TEXT PRIMARY KEY,
    project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    asset_kind TEXT NOT NULL,
    rel_path TEXT NOT NULL,
    sha256 TEXT,
    meta_json TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL,
    run_id TEXT,
    job_id TEXT,
    candidate_id TEXT,
    UNIQUE (project_id, rel_path)
);

CREATE TABLE IF NOT EXISTS runs (
    id TEXT PRIMARY KEY,
    project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    mode TEXT NOT NULL,
    status TEXT NOT NULL,
    stage TEXT,
    time_of_day TEXT,
    weather TEXT,
    model TEXT,
    meta_json TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL,
    run_log_path TEXT,
    image_size TEXT,
    image_quality TEXT
);

CREATE TABLE IF NOT EXISTS run_jobs (
    id TEXT PRIMARY KEY,
    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    job_key TEXT NOT NULL,
    status TEXT NOT NULL,
    selected_candidate INTEGER,
    final_output TEXT,
    meta_json TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL,
    UNIQUE (run_id, job_key)
);

CREATE TABLE IF NOT EXISTS run_job_candidates (
    id TEXT PRIMARY KEY,
    job_id TEXT NOT NULL REFERENCES run_jobs(id) ON DELETE CASCADE,
    candidate_index INTEGER NOT NULL,
    status TEXT NOT NULL,
    output_path TEXT,
    final_output_path TEXT,
    rank_hard_failures INTEGER,
    rank_soft_warnings INTEGER,
    rank_avg_chroma_exceed REAL,
    meta_json TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS project_exports (
    id TEXT PRIMARY KEY,
    project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    export_path TEXT NOT NULL,
    export_sha256 TEXT,
    created_at TEXT NOT NULL
);
"""

COLLABORATION_TABLES = """
CREATE TABLE IF NOT EXISTS chat_sessions (
    id TEXT PRIMARY KEY,
    project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    user_id TEXT REFERENCES users(id),
    title TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'open',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS chat_messages (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES chat_sessions(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    content TEXT NOT NULL,
    metadata_json TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS agent_instructions (
    id TEXT PRIMARY KEY,
    project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    session_id TEXT REFERENCES chat_sessions(id) ON DELETE SET NULL,
    user_id TEXT REFERENCES users(id),
    instruction_text TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS agent_instruction_events (
    id TEXT PRIMARY KEY,
    instruction_id TEXT NOT NULL REFERENCES agent_instructions(id) ON DELETE CASCADE,
    event_type TEXT NOT NULL,
    payload_json TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS voice_requests (
    id TEXT PRIMARY KEY,
    project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    session_id TEXT REFERENCES chat_sessions(id) ON DELETE SET NULL,
    audio_path TEXT NOT NULL,
    transcript TEXT,
    status TEXT NOT NULL DEFAULT 'received',
    created_at TEXT NOT NULL
);
"""

# Columns the agent worker needs, added to databases created before it existed.
WORKER_COLUMNS = (
    ("attempts", "INTEGER NOT NULL DEFAULT 0"),
    ("max_attempts", "INTEGER NOT NULL DEFAULT 3"),
    ("next_attempt_at", "TEXT"),
    ("last_error", "TEXT"),
    ("locked_by", "TEXT"),
    ("locked_at", "TEXT"),
    ("agent_response_json", "TEXT"),
)

INDEXES = (
    "CREATE INDEX IF NOT EXISTS idx_projects_user ON projects(user_id)",
    "CREATE INDEX IF NOT EXISTS idx_assets_project ON assets(project_id)",
    "CREATE INDEX IF NOT EXISTS idx_runs_project ON runs(project_id)",
    "CREATE INDEX IF NOT EXISTS idx_jobs_run ON run_jobs(run_id)",
    "CREATE INDEX IF NOT EXISTS idx_candidates_job ON run_job_candidates(job_id)",
    "CREATE INDEX IF NOT EXISTS idx_chat_messages_session ON chat_messages(session_id, created_at)",
    "CREATE INDEX IF NOT EXISTS idx_agent_instructions_queue ON agent_instructions(status, created_at)",
)


def init_schema(conn: sqlite3.Connection) -> None:
    """Create every table and index the backend uses; safe to run on every start."""
    conn.executescript(CORE_TABLES)
    conn.executescript(RUN_TABLES)
    conn.executescript(COLLABORATION_TABLES)
    for column, definition in WORKER_COLUMNS:
        ensure_column(conn, "agent_instructions", column, definition)
    for statement in INDEXES:
        conn.execute(statement)
    conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    conn.execute("INSERT OR IGNORE INTO schema_migrations (id, applied_at) VALUES (?, ?)", (SCHEMA_VERSION, utc_now()))
    conn.commit()


def resolve_storage_settings(settings_json: str) -> dict[str, Any]:
    """Storage policy of a project: `settings_json.storage`, completed with defaults."""
    settings = json.loads(settings_json or "{}")
    storage = settings.get("storage") or {}
    return {
        "local": {**DEFAULT_STORAGE["local"], **(storage.get("local") or {})},
        "s3": {**DEFAULT_STORAGE["s3"], **(storage.get("s3") or {})},
    }


def ensure_user(conn: sqlite3.Connection, username: str, display_name: str) -> str:
    row = conn.execute("SELECT id FROM users WHERE username = ?", (username,)).fetchone()
    if row is not None:
        return str(row["id"])
    user_id, now = new_id(), utc_now()
    conn.execute(
        "INSERT INTO users (id, username, display_name, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
        (user_id, username, display_name, now, now),
    )
    return user_id


def ensure_project(conn: sqlite3.Connection, user_id: str, slug: str, name: str) -> str:
    row = conn.execute("SELECT id FROM projects WHERE user_id = ? AND slug = ?", (user_id, slug)).fetchone()
    if row is not None:
        return str(row["id"])
    project_id, now = new_id(), utc_now()
    conn.execute(
        "INSERT INTO projects (id, user_id, slug, name, settings_json, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (project_id, user_id, slug, name, json.dumps({"storage": DEFAULT_STORAGE}), now, now),
    )
    return project_id


def upsert_asset(conn: sqlite3.Connection, project_id: str, kind: str, rel_path: str, sha256: str | None) -> str:
    row = conn.execute("SELECT id FROM assets WHERE project_id = ? AND rel_path = ?", (project_id, rel_path)).fetchone()
    if row is not None:
        conn.execute("UPDATE assets SET sha256 = ? WHERE id = ?", (sha256, row["id"]))
        return str(row["id"])
    asset_id = new_id()
    conn.execute(
        "INSERT INTO assets (id, project_id, asset_kind, rel_path, sha256, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        (asset_id, project_id, kind, rel_path, sha256, utc_now()),
    )
    return asset_id


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("command", choices=("init",))
    parser.add_argument("database", type=Path)
    args = parser.parse_args(argv)
    args.database.parent.mkdir(parents=True, exist_ok=True)
    with connect(args.database) as conn:
        init_schema(conn)
    print(f"schema ready in {args.database}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
