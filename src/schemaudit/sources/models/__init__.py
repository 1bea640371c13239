"""SQLAlchemy models (`models:pkg.module:Base`), imported in a child process.

Entry point: `source.load`. `child` runs in the child process and uses `convert` (MetaData to
model), `app` (ORM-only facts such as `@validates`), `origin` (file:line origins, with the shared `sources.calls`).
"""
