"""Alembic histories (`alembic:alembic.ini`), replayed without env.py on a scratch database.

Entry points: `source.load` and `source.history` (the timeline); `history` holds the timeline
types. `scratch` makes and drops the scratch database, `child` replays the revisions in a
child process with `record` watching every operation, and `origins` maps objects to the
revision lines that made them.
"""
