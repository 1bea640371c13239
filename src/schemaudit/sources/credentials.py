"""Credentials that stay off the command line: `${VAR}` in URLs, MySQL option files.

`${VAR}` anywhere in a database URL is replaced by the environment variable's value, so
`postgresql://app:${DB_PASSWORD}@db/app` can be typed, logged and kept in a config file
while the password lives in the environment. Each part of the URL is expanded on its own,
so a password with `@`, `/` or `:` needs no escaping. An unset variable is an error naming
it, never an empty password.

MySQL and MariaDB, as their own clients do: what the URL leaves out (user, password, host,
port) comes from the `[client]` group of an option file (`?read_default_file=PATH`, else
`~/.my.cnf`; `?read_default_group=NAME` for another group), then from `MYSQL_PWD`,
`MYSQL_HOST` and `MYSQL_TCP_PORT`. PostgreSQL needs nothing here: the URL's parts are
handed to libpq, which fills what is missing from `PGPASSWORD`, `PGHOST`, `PGDATABASE`,
`~/.pgpass` (`PGPASSFILE`) and service files (`?service=NAME`, `PGSERVICEFILE`).
"""

from __future__ import annotations

import configparser
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

from schemaudit.errors import SourceError, mask_secrets

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_OPTION_FILE_KEYS = ("read_default_file", "read_default_group")


def expand_env(text: str, where: str = "URL") -> str:
    """`${VAR}` replaced by the environment's value; an unset variable is an error."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        found = os.environ.get(name)
        if found is None:
            raise SourceError(f"environment variable {name} (used in a {where}) is not set")
        return found

    return _VAR.sub(value, text)


def resolve_url(spec: str) -> str:
    """The URL with `${VAR}` expanded part by part and, for MySQL, the credentials it leaves
    out filled in from option files and the environment (rendered with the password: for a
    driver or a child process's stdin, never for display)."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        url = make_url(spec)
    except (ArgumentError, ValueError):
        url = make_url(expand_env(spec))  # `${PORT}` cannot be parsed before it is expanded
    url = url.set(
        username=_maybe(url.username),
        password=_maybe(url.password if isinstance(url.password, str) or url.password is None else str(url.password)),
        host=_maybe(url.host),
        database=_maybe(url.database),
        query={k: expand_env(v) if isinstance(v, str) else tuple(map(expand_env, v)) for k, v in url.query.items()},
    )
    if url.drivername.partition("+")[0] in ("mysql", "mariadb"):
        url = _mysql_defaults(url)
    return url.render_as_string(hide_password=False)


def _maybe(text: str | None) -> str | None:
    return None if text is None else expand_env(text)


def _mysql_defaults(url: URL) -> URL:
    query = dict(url.query)
    given = query.pop("read_default_file", None)
    group = query.pop("read_default_group", None) or "client"
    path = Path(str(given)).expanduser() if given else Path.home() / ".my.cnf"
    options = _option_group(path, str(group), required=given is not None)
    port = options.get("port") or os.environ.get("MYSQL_TCP_PORT")
    return url.set(
        username=url.username or options.get("user"),
        password=url.password if url.password is not None else options.get("password", os.environ.get("MYSQL_PWD")),
        host=url.host or options.get("host") or os.environ.get("MYSQL_HOST"),
        port=url.port or (int(port) if port and port.isdigit() else None),
        query=query,
    )


def _option_group(path: Path, group: str, required: bool) -> dict[str, str]:
    """One group of a MySQL option file (`!include` lines are skipped, quotes removed)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        if required:
            raise SourceError(f"MySQL option file {path} (read_default_file) not found") from None
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(f"cannot read MySQL option file {path}: {exc}") from None
    parser = configparser.ConfigParser(allow_no_value=True, strict=False, interpolation=None)
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("!")]
    try:
        parser.read_string("\n".join(lines), source=str(path))
    except configparser.Error as exc:
        raise SourceError(mask_secrets(f"MySQL option file {path} is not readable: {exc}".splitlines()[0])) from None
    if not parser.has_section(group):
        return {}
    return {k.replace("-", "_"): (v or "").strip().strip("'\"") for k, v in parser.items(group)}
