"""SQLAlchemy models (`models:pkg.module:Base`), imported in a child process.

Entry point: `source.load`. `child` runs in the child process and uses `convert` (MetaData to
model), `app` (ORM-only facts such as `@validates`), `origin` (file:line origins, with the shared `sources.calls`).
"""

# Before a CREATE TABLE / INDEX statement of `ddl_objects`: the MetaData's own, not listed.
# Defined here, not in `ddl_objects`, so that schemaudit's own process reads the child's
# answer without importing SQLAlchemy (a fifth of a second of every `models:` load).
TABLE_MARK = "\0"
