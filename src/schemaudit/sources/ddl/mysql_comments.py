"""MySQL executable comments: `/*!50610 ALTER TABLE f ENGINE=InnoDB */` is SQL to a server
new enough, and a comment to others. Dumps (mysqldump, sakila, employees) put real DDL in
them — a table's engine, a column, a partitioning clause — so a DDL file means what it means
to the server it is run on, not what it means with every comment stripped.

The rules, as the servers apply them (the client passes these comments through):
- `/*! ... */` without a version always runs;
- `/*!NNNNN ... */` (MMmmpp, five or six digits) runs when NNNNN <= the server's version.
  MariaDB (which reports a 10.x or 11.x version) runs them too, except the MySQL 5.7+ range
  50700-99999: those name MySQL features MariaDB may not have, and MariaDB ignores them;
- `/*M!NNNNNN ... */` is MariaDB's own: only MariaDB runs it (MySQL sees a comment).

The server is told with the spec (`ddl:dump.sql?dialect=mariadb`, `?dialect=mysql&version=8.0.36`);
a plain `mysql` is MySQL 8.0, `mariadb` is MariaDB 10.11. Offsets and lines are kept: the
comment markers become spaces, so origins still point at the file's own lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from schemaudit.errors import SourceError

_COMMENT_OR_QUOTED = re.compile(
    r"""(?P<exec>/\*(?P<maria>M)?!(?P<version>\d{5,6})?)|/\*.*?(?:\*/|\Z)|--(?:[ \t][^\n]*|(?=\n)|\Z)|\#[^\n]*"""
    r"""|`[^`]*(?:``[^`]*)*(?:`|\Z)|"[^"\\]*(?:(?:\\.|"")[^"\\]*)*(?:"|\Z)|'[^'\\]*(?:(?:\\.|'')[^'\\]*)*(?:'|\Z)""",
    re.DOTALL,
)
_VERSION = re.compile(r"^(\d+)\.(\d+)(?:\.(\d+))?")


@dataclass(frozen=True, slots=True)
class Server:
    mariadb: bool
    version: int  # MMmmpp: 80036 for 8.0.36, 101100 for 10.11.0

    def runs(self, version: int | None, mariadb_only: bool) -> bool:
        if mariadb_only and not self.mariadb:
            return False
        if version is None:
            return True
        if self.mariadb and not mariadb_only and 50700 <= version <= 99999:
            return False
        return version <= self.version


def server_for(flavor: str, version: str | None) -> Server:
    """The server a file is read for: `mariadb` or `mysql`, optionally `X.Y[.Z]`."""
    mariadb = flavor.lower() == "mariadb"
    if version is None:
        return Server(mariadb, 101100 if mariadb else 80036)
    found = _VERSION.match(version.strip())
    if found is None:
        raise SourceError(f"cannot read server version {version!r}; write it like 8.0.36 or 10.11")
    major, minor, patch = (int(x or 0) for x in found.groups())
    return Server(mariadb, major * 10000 + minor * 100 + patch)


def run_executable_comments(text: str, server: Server) -> str:
    """The text as `server` reads it: executable comments it runs become plain SQL."""
    if "/*" not in text:
        return text
    out: list[str] = []
    pos = scan = 0
    while (match := _COMMENT_OR_QUOTED.search(text, scan)) is not None:
        scan = match.end()
        if match.group("exec") is None:
            continue
        close = text.find("*/", match.end())
        if close < 0:
            break
        scan = close + 2
        version = int(match.group("version")) if match.group("version") else None
        if not server.runs(version, match.group("maria") is not None):
            continue
        out.append(text[pos : match.start()])
        out.append(" " * (match.end() - match.start()))
        out.append(text[match.end() : close])
        out.append("  ")
        pos = close + 2
    out.append(text[pos:])
    return "".join(out)
