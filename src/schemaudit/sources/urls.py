"""Database URLs: parsed once, with the password kept out of everything we print."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from schemaudit.errors import SourceError, mask_secrets


@dataclass(frozen=True, slots=True)
class DbUrl:
    backend: str  # "postgresql", "mysql", "sqlite"
    driver: str | None
    username: str | None
    password: str | None = field(repr=False)
    host: str | None
    port: int | None
    database: str | None
    query: tuple[tuple[str, str], ...] = ()

    def masked(self) -> str:
        """The URL as it may be shown: password replaced by ***."""
        auth = ""
        if self.username:
            auth = self.username + (":***" if self.password else "") + "@"
        host = self.host or ""
        port = f":{self.port}" if self.port else ""
        scheme = self.backend + (f"+{self.driver}" if self.driver else "")
        return f"{scheme}://{auth}{host}{port}/{self.database or ''}"


def parse_db_url(spec: str) -> DbUrl:
    """Parse a database URL, raising a one-line error (password masked) if it is malformed.

    `${VAR}` is expanded and MySQL credentials are completed first (`credentials`)."""
    from schemaudit.sources.credentials import resolve_url

    try:
        url = make_url(resolve_url(spec))
    except (ArgumentError, ValueError) as exc:
        raise SourceError(f"malformed database URL {mask_secrets(spec)!r}: {mask_secrets(str(exc), None)}") from None
    backend, _, driver = url.drivername.partition("+")
    if backend in ("postgres",):
        backend = "postgresql"
    if backend == "mariadb":
        backend = "mysql"
    port = url.port
    query = tuple(sorted((k, v if isinstance(v, str) else ",".join(v)) for k, v in url.query.items()))
    return DbUrl(backend, driver or None, url.username, url.password, url.host, port, url.database, query)
