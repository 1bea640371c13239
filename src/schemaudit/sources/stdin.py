"""Source `-`: a schema piped on standard input, as `cat schema.sql | schemaudit inspect -`.

`-` reads a JSON snapshot when the text starts with `{` and DDL otherwise; `ddl:-` and
`snapshot:-` say which, and `-?dialect=postgresql` (or `ddl:-?dialect=...`) names the DDL's
dialect as for a file. Standard input can be read once per run, so only one side of an
audit may be `-`.
"""

from __future__ import annotations

import sys
from urllib.parse import parse_qsl

from schemaudit import snapshot
from schemaudit.errors import SourceError
from schemaudit.model import Schema
from schemaudit.sources import LoadOptions

WHERE = "<stdin>"
_TRUE = frozenset({"1", "true", "yes", "on"})
_read = False


def is_stdin(spec: str) -> bool:
    """`-`, `-?...`, `ddl:-`, `snapshot:-` (with or without a query)."""
    head, sep, body = spec.partition(":")
    if sep and head.lower() in ("ddl", "snapshot"):
        spec = body
    return spec == "-" or spec.startswith("-?")


def load(spec: str, options: LoadOptions) -> Schema:
    from schemaudit.sources.ddl.source import DIALECTS, read_ddl
    from schemaudit.sources.ddl.source import _dialect as sniff_dialect

    head, sep, body = spec.partition(":")
    forced = head.lower() if sep and head.lower() in ("ddl", "snapshot") else None
    params = dict(parse_qsl((body if forced else spec).partition("?")[2], keep_blank_values=True))
    text = _read_stdin()
    kind = forced or ("snapshot" if text.lstrip().startswith("{") else "ddl")
    if kind == "snapshot":
        return snapshot.loads(text, where=WHERE)
    given = params.get("dialect") or options.dialect
    dialect = sniff_dialect(DIALECTS.get(given.lower(), given) if given else None, text, "-")
    lenient = options.lenient or params.get("lenient", "").lower() in _TRUE
    return read_ddl(text, dialect, WHERE, lenient, params.get("schema") or options.schema)


def _read_stdin() -> str:
    global _read
    if _read:
        raise SourceError("standard input was already read by another source: only one source can be '-'")
    _read = True
    if sys.stdin is None or sys.stdin.isatty():
        raise SourceError("source '-' reads standard input, but nothing is piped in (e.g. cat schema.sql | ...)")
    text = sys.stdin.read()
    if not text.strip():
        raise SourceError("source '-': standard input is empty")
    return text
