"""Running a plan folder against a database: checks, bookkeeping, backup, re-audit.

Entry point: `run.apply` with `run.ApplyOptions`; `db` holds the per-database sessions
(`open_session`) and `ApplyError`.
"""

from schemaudit import callable_package

callable_package(__name__)  # schemaudit.apply(...) is the library verb
