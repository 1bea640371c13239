"""Applied-migration markers: what the migration tools recorded in a live database.

Alembic (`alembic_version`), Rails, golang-migrate and dbmate (`schema_migrations`), Django
(`django_migrations`), Flyway (`flyway_schema_history`), Liquibase (`databasechangelog`) and
schemaudit itself (`schemaudit_migrations`) each keep a table of what ran. Read read-only,
they answer the commonest question about drift between environments: which migrations does
this database have? Against an Alembic history, each revision is applied (the recorded head
or one of its ancestors), pending (in the history, not applied), and a recorded revision the
history does not know is unknown (a branch never merged, a revision deleted since).

A migration that failed part-way is called out: golang-migrate marks its version `dirty`
(and refuses to run again until the database is repaired by hand and forced), Flyway
records `success = false`. Such a database is in neither the old state nor the new one.
"""

from __future__ import annotations

from contextlib import closing
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from schemaudit.errors import SchemauditError

if TYPE_CHECKING:
    from schemaudit.sources.alembic.history import History

# table -> (tool, columns read, ORDER BY)
TABLES: dict[str, tuple[str, tuple[str, ...], str | None]] = {
    "alembic_version": ("Alembic", ("version_num",), None),
    "schema_migrations": ("Rails / golang-migrate / dbmate", ("version",), "version"),  # + dirty
    "django_migrations": ("Django", ("app", "name"), "id"),
    "flyway_schema_history": ("Flyway", ("version", "description", "success"), "installed_rank"),
    "databasechangelog": ("Liquibase", ("id", "author", "filename"), "orderexecuted"),
    "schemaudit_migrations": ("schemaudit", ("id",), "id"),
}
LIVE = frozenset({"sqlite", "postgresql", "postgres", "mysql", "mariadb"})


@dataclass(frozen=True, slots=True)
class Marker:
    table: str
    tool: str
    entries: tuple[str, ...]  # what the tool recorded, in its order
    failed: tuple[str, ...] = ()  # entries of a migration that failed part-way (dirty, not successful)

    def problem(self) -> str | None:
        """One sentence on a failed migration, for every report."""
        if not self.failed:
            return None
        if self.tool == "golang-migrate":
            return (
                f"{self.table}: version {', '.join(self.failed)} is dirty: its migration failed part-way, so the "
                "database is half-migrated and golang-migrate will not run until it is repaired by hand and "
                "`migrate force` is given the last clean version"
            )
        return f"{self.table} ({self.tool}): {', '.join(self.failed)} failed; the database may be half-migrated"


@dataclass(frozen=True, slots=True)
class Applied:
    """Revisions of an Alembic history against the database's `alembic_version`."""

    heads: tuple[str, ...]  # recorded in the database
    applied: tuple[str, ...]  # in upgrade order
    pending: tuple[str, ...]
    unknown: tuple[str, ...]  # recorded, but not in the history


def read_markers(spec: str, schema: str | None = None) -> tuple[Marker, ...]:
    """The bookkeeping tables of the live database `spec` and what they hold."""
    from schemaudit.sources import kind_of

    kind = kind_of(spec)
    if kind == "sqlite":
        from schemaudit.sources.live.sqlite import open_reading, sqlite_path

        with closing(open_reading(sqlite_path(spec))) as conn:  # no -wal/-shm left behind
            names = [r[0] for r in conn.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")]
            dirty = any(r[1].lower() == "dirty" for r in conn.execute("PRAGMA table_info(schema_migrations)"))
            return _read(names, lambda sql: conn.execute(sql).fetchall(), '"', dirty)
    from schemaudit.sources.urls import parse_db_url

    url = parse_db_url(spec)
    if kind in ("postgresql", "postgres"):
        from schemaudit.sources.live.postgresql import connect

        with closing(connect(url)) as pg:
            where = schema or "public"
            rows = pg.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = %s", (where,))
            names = [r[0] for r in rows.fetchall()]
            dirty = bool(pg.execute(_DIRTY, (where,)).fetchall())
            pg.execute(f'SET search_path TO "{where}"')
            return _read(names, lambda sql: list(pg.execute(sql).fetchall()), '"', dirty)
    from schemaudit.sources.live.mysql import read_only_session

    with read_only_session(url) as my:
        cur = my.cursor()
        database = schema or url.database
        cur.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = %s", (database,))
        names = [r[0] for r in cur.fetchall()]
        cur.execute(_DIRTY, (database,))
        dirty = bool(cur.fetchall())

        def fetch(sql: str) -> list[Any]:
            cur.execute(sql.replace("FROM `", f"FROM `{database}`.`", 1))
            return list(cur.fetchall())

        return _read(names, fetch, "`", dirty)


# golang-migrate's schema_migrations is (version bigint, dirty boolean); Rails' and dbmate's
# have no `dirty`
_DIRTY = (
    "SELECT column_name FROM information_schema.columns WHERE table_schema = %s "
    "AND lower(table_name) = 'schema_migrations' AND lower(column_name) = 'dirty'"
)


def _read(names: list[str], fetch: Any, quote: str, dirty: bool = False) -> tuple[Marker, ...]:
    out = []
    for name in sorted(names, key=str.lower):
        known = TABLES.get(name.lower())
        if known is None:
            continue
        tool, columns, order = known
        if name.lower() == "schema_migrations" and dirty:
            tool, columns = "golang-migrate", (*columns, "dirty")
        cols = ", ".join(f"{quote}{c}{quote}" for c in columns)
        sql = f"SELECT {cols} FROM {quote}{name}{quote}" + (f" ORDER BY {quote}{order}{quote}" if order else "")
        try:
            rows = fetch(sql)
        except Exception as exc:  # a table of that name but another layout: say so, do not fail the audit
            out.append(Marker(name, tool, (f"(unreadable: {str(exc).splitlines()[0] if str(exc) else exc})",)))
            continue
        entries = tuple(_entry(name.lower(), row) for row in rows)
        failed = tuple(_failed_entry(name.lower(), row) for row in rows if _failed(name.lower(), row))
        out.append(Marker(name, tool, entries, failed))
    return tuple(out)


def _failed(table: str, row: Any) -> bool:
    """A dirty golang-migrate version, or a Flyway migration recorded as not successful."""
    if table == "schema_migrations" and len(row) > 1:
        return str(row[1]).lower() in ("1", "true", "t")
    if table == "flyway_schema_history":
        return str(row[2]).lower() in ("0", "false", "f")
    return False


def _failed_entry(table: str, row: Any) -> str:
    return str(row[0]) if table == "schema_migrations" else str(row[0] or "(repeatable)")


def _entry(table: str, row: Any) -> str:
    values = ["" if v is None else str(v) for v in row]
    if table == "django_migrations":
        return f"{values[0]}.{values[1]}"
    if table == "flyway_schema_history":
        failed = values[2].lower() in ("0", "false", "f")
        return f"{values[0] or '(repeatable)'} {values[1]}" + (" (failed)" if failed else "")
    if table == "databasechangelog":
        return f"{values[0]} by {values[1]} ({values[2]})"
    if table == "schema_migrations" and len(values) > 1 and _failed(table, row):
        return f"{values[0]} (dirty)"
    return values[0]


def against_history(markers: tuple[Marker, ...], history: History) -> Applied:
    """Applied, pending and unknown revisions, from the heads `alembic_version` records."""
    heads = next((m.entries for m in markers if m.table.lower() == "alembic_version"), ())
    by_id = {r.revision: r for r in history.revisions}
    applied: set[str] = set()
    stack = [h for h in heads if h in by_id]
    while stack:
        revision = stack.pop()
        if revision not in applied:
            applied.add(revision)
            stack.extend(d for d in by_id[revision].down_revisions if d in by_id)
    order = [r.revision for r in history.revisions]
    return Applied(
        heads,
        tuple(r for r in order if r in applied),
        tuple(r for r in order if r not in applied),
        tuple(h for h in heads if h not in by_id),
    )


def summary(markers: tuple[Marker, ...], applied: Applied | None) -> str:
    """One line for the terminal report."""
    if applied is not None:
        at = ", ".join(applied.heads) or "nothing (no alembic_version row)"
        line = (
            f"migrations: alembic_version at {at}: {len(applied.applied)} applied, {len(applied.pending)} pending"
            f", {len(applied.unknown)} unknown to the history"
        )
    else:
        line = "migrations: " + "; ".join(f"{m.table} ({m.tool}): {len(m.entries)} recorded" for m in markers)
    problems = [p for m in markers if (p := m.problem())]
    return line + "".join(f"\nmigrations: FAILED: {p}" for p in problems)


def markdown(markers: tuple[Marker, ...], applied: Applied | None) -> str:
    first = summary(markers, applied).splitlines()[0]
    lines = ["## Applied migrations", "", first.removeprefix("migrations: ") + ".", ""]
    lines += [f"> **A migration failed part-way.** {p}." for m in markers if (p := m.problem())]
    if any(m.failed for m in markers):
        lines.append("")
    if applied is not None:
        lines += ["| revision | status |", "|---|---|"]
        lines += [f"| `{r}` | applied |" for r in applied.applied]
        lines += [f"| `{r}` | **pending** |" for r in applied.pending]
        lines += [f"| `{r}` | **unknown to the history** |" for r in applied.unknown]
        lines.append("")
    for m in markers:
        last = f"; last: `{m.entries[-1]}`" if m.entries else ""
        lines.append(f"- `{m.table}` ({m.tool}): {len(m.entries)} recorded{last}")
    return "\n".join(lines) + "\n"


def to_dict(markers: tuple[Marker, ...], applied: Applied | None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "markers": [
            {"table": m.table, "tool": m.tool, "entries": list(m.entries), "failed": list(m.failed)} for m in markers
        ]
    }
    problems = [p for m in markers if (p := m.problem())]
    if problems:
        data["problems"] = problems
    if applied is not None:
        data["alembic"] = {
            "heads": list(applied.heads),
            "applied": list(applied.applied),
            "pending": list(applied.pending),
            "unknown": list(applied.unknown),
        }
    return data


def check_live(spec: str) -> bool:
    from schemaudit.sources import kind_of

    try:
        return kind_of(spec) in LIVE
    except SchemauditError:
        return False
