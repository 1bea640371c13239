"""Live databases, read read-only with a fixed number of bulk catalog queries.

Entry points: `sqlite.load`, `postgresql.load`, `mysql.load` (chosen by the registry in
`schemaudit.sources`). The `*_catalog` modules run the queries; the others build the model.
"""
