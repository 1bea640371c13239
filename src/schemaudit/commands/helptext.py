"""The words `schemaudit --help` and each command's `--help` show: what the tool does, how
it is called in practice, the source kinds, the exit codes and the environment it reads."""

from __future__ import annotations

DESCRIPTION = """\
Audit a database schema against the schema it is meant to have, report the drift, and plan
(and apply) the migration between them."""

EXAMPLES = """\
examples:
  schemaudit check                                  in an Alembic project: models vs migrations
  schemaudit audit --target models:app.models:Base --current alembic:alembic.ini
  schemaudit audit --target spec:docs/SPEC.md#5 --current sqlite:///app.db -o report.md
  schemaudit audit --env prod                       sources from [tool.schemaudit.env.prod]
  schemaudit plan --target schema.sql --current 'postgresql://app:${DB_PASSWORD}@db/app'
  schemaudit matrix models:app.models:Base alembic:alembic.ini postgresql://db/staging
  pg_dump -s app | schemaudit inspect -             a source '-' reads standard input"""

SOURCE_KINDS = """\
source kinds (SRC):
  sqlite:///app.db, app.db                 a SQLite file, opened read-only
  postgresql://user@host:5432/db           a PostgreSQL database (--schema for not 'public')
  mysql+pymysql://user@host:3306/db        a MariaDB/MySQL database
  ddl:schema.sql?dialect=postgres, x.sql   DDL files, parsed (no database needed)
  spec:docs/SPEC.md#5                      a markdown spec: a heading per table
  python:scripts/backend.py:init_schema    a function that builds tables in SQLite
  models:app.models:Base                   SQLAlchemy models (imported in a child process)
  alembic:alembic.ini                      what `upgrade head` builds, replayed without env.py
  snapshot:snap.json, snap.json            a schema saved by `schemaudit inspect -o snap.json`
  -                                        standard input: DDL, or a JSON snapshot
  ${VAR} in any URL is read from the environment, so passwords stay off the command line."""

EXIT_CODES = """\
exit codes:
  0  consistent (no finding at or above --fail-on); a plan or apply that did what it should
  1  findings at or above --fail-on; `plan --check` with something to do; apply not converged
  2  bad input or usage: one line on stderr, never a traceback"""

ENVIRONMENT = """\
environment:
  NO_COLOR, FORCE_COLOR   turn colours off / on (as --no-color does, or in a CI log)
  SCHEMAUDIT_DEBUG=1      show the traceback of an internal error instead of one line
  PGPASSWORD, PGSERVICE, ~/.pgpass, MYSQL_PWD, ~/.my.cnf   credentials kept out of URLs
config: [tool.schemaudit] of the nearest pyproject.toml (from the sources' folder or the
working directory), or --config FILE; --env NAME picks [tool.schemaudit.env.NAME]."""

TOP_EPILOG = "\n\n".join((EXAMPLES, SOURCE_KINDS, EXIT_CODES, ENVIRONMENT))
PAIR_EPILOG = "\n\n".join((SOURCE_KINDS, EXIT_CODES))
