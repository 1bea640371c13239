"""DDL files (`ddl:schema.sql?dialect=postgres`), read statement by statement with sqlglot.

Entry point: `source.load`. `split` cuts the text into statements, `tokens` and `names` read
the pieces, `statements` dispatches each statement to `table`, `keys`, `alter` or `objects`,
which fill a `catalog.Catalog`; `sqlite` reads SQLite DDL by executing it in memory.
"""
