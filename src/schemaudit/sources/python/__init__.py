"""Schema-building Python functions (`python:scripts/backend.py:init_schema`).

Entry point: `source.load`, which runs `child` in a child process on a scratch SQLite file and
reads the result with the live SQLite source.
"""
