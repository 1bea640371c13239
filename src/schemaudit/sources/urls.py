"""Database URLs: parsed once, with the password kept out of everything we print."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import quote

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


CONNECT_TIMEOUT = 10  # seconds to connect (and, for PostgreSQL, for the whole handshake)
READ_TIMEOUT = 300  # seconds a MySQL/MariaDB server may stay silent once connected
_TIMEOUTS = {"connect_timeout": CONNECT_TIMEOUT, "read_timeout": READ_TIMEOUT}


def timeouts(url: DbUrl) -> tuple[int, int]:
    """(connect, read) timeouts in seconds: `?connect_timeout=N&read_timeout=N` in the URL,
    else the defaults. A server that accepts and never speaks must not hang a run forever."""
    query = dict(url.query)
    out = []
    for key, default in _TIMEOUTS.items():
        raw = query.get(key)
        if raw is None:
            out.append(default)
            continue
        if not raw.isdigit() or not 0 < int(raw) <= 86400:
            raise SourceError(f"{key}={raw!r} in {url.masked()} is not a number of seconds (1 to 86400)")
        out.append(int(raw))
    return out[0], out[1]


def mysql_charset(url: DbUrl) -> str:
    """The `?charset=` of a MySQL URL (default utf8mb4), or one line naming a charset the
    driver does not know (PyMySQL would fail deep inside with an AttributeError)."""
    name = dict(url.query).get("charset", "utf8mb4")
    from pymysql.charset import charset_by_name

    if charset_by_name(name) is None:
        raise SourceError(f"charset={name!r} in {url.masked()} is not a MySQL character set (e.g. utf8mb4)")
    return name


def parse_db_url(spec: str) -> DbUrl:
    """Parse a database URL, raising a one-line error (password masked) if it is malformed.

    `${VAR}` is expanded and MySQL credentials are completed first (`credentials`)."""
    from schemaudit.sources.credentials import resolve_url

    try:
        url = make_url(resolve_url(normalized_url(spec)))
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


_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")


def normalized_url(spec: str) -> str:
    """A password written raw (`u:p@ss:w/rd#1@host`) encoded as the URL should have it.

    The host follows the LAST `@` (as libpq and urllib read it), and the password is
    everything after the first `:` of the user part. A password that is already encoded
    (only `%XX` escapes, none of `@ : / # ?`) is left as it is."""
    scheme, sep, rest = spec.partition("://")
    if not sep or "@" not in rest:
        return spec
    userinfo, _, host = rest.rpartition("@")
    user, colon, password = userinfo.partition(":")
    if not colon:
        return spec
    raw = any(c in password for c in "@:/#?") or "%" in _ESCAPE.sub("", password)
    if not raw:
        return spec
    return f"{scheme}://{user}:{quote(password, safe='')}@{host}"
