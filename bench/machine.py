"""What the figures were measured on: without it, seconds in a table mean little.

Driver build matters as much as the CPU here: psycopg's C implementation reads rows 1.5-2x
faster than its pure-Python one, so `psycopg.pq.__impl__` is part of every report.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import sqlite3
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any

from bench.databases import libpq_url

ROOT = Path(__file__).resolve().parents[1]


def _version(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def _cpu_model() -> str | None:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or None


def _memory_gib() -> float | None:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError):
        return None


def _git_revision() -> str:
    """The commit measured, with "+changes" when the tree differs from it (read-only git)."""
    try:
        rev = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        return rev + ("+changes" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "uncommitted"


def postgresql_version(url: str) -> str | None:
    try:
        import psycopg

        with psycopg.connect(libpq_url(url), connect_timeout=5) as conn:
            row = conn.execute("SHOW server_version").fetchone()
            return str(row[0]) if row else None
    except Exception:
        return None


def describe(pg_url: str | None) -> dict[str, Any]:
    """A flat dict of everything that could explain a different figure on another machine."""
    info: dict[str, Any] = {
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cores": os.cpu_count(),
        "cpu": _cpu_model(),
        "memory_gib": round(m, 1) if (m := _memory_gib()) else None,
        "os": platform.platform(),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "sqlite": sqlite3.sqlite_version,
        "postgresql": postgresql_version(pg_url) if pg_url else None,
        "schemaudit": f"{_version('schemaudit')} ({_git_revision()})",
        "sqlalchemy": _version("SQLAlchemy"),
        "psycopg": _version("psycopg"),
        "psycopg2": _version("psycopg2-binary") or _version("psycopg2"),
        "schemainspect": _version("schemainspect"),
        "migra": _version("migra"),
        "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
    }
    try:
        import psycopg

        info["psycopg_impl"] = psycopg.pq.__impl__
        info["libpq"] = psycopg.pq.version()
    except ImportError:
        info["psycopg_impl"] = None
    return info
