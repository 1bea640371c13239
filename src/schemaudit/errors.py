"""User-facing errors: one clear line on stderr and exit code 2, never a traceback."""

from __future__ import annotations

import re
from urllib.parse import quote, quote_plus


class SchemauditError(Exception):
    """Bad input or an unusable source. The message is shown to the user as is."""


class SourceError(SchemauditError):
    """A source could not be read (missing file, unreachable server, bad credentials)."""


# `scheme://user:password@host`: the password runs to the LAST `@` of the URL, as a driver
# (and urllib) reads it, so a raw `@`, `:`, `/` or `#` in a password is masked whole.
_URL_PASSWORD = re.compile(r"(?P<head>[a-zA-Z][a-zA-Z0-9+.\-]*://[^:/@\s'\"]*:)(?P<pw>[^\s'\"]*)(?P<at>@)")
# password=..., PGPASSWORD=..., 'password': '...', "passwd": "..." (user code and drivers)
_KV_PASSWORD = re.compile(
    r"(?i)(?P<head>\w*(?:password|passwd|pwd)\w*['\"]?\s*[=:]\s*)(?P<pw>'[^']*'|\"[^\"]*\"|[^\s&;,)}\]]+)"
)


def mask_secrets(text: str, *secrets: str | None) -> str:
    """Remove passwords from any text before it is shown: URLs, key=value pairs, and the
    literal secrets given, raw and URL-encoded (a driver may echo a password inside its own
    error message; a URL may carry it encoded)."""
    for secret in secrets:
        if secret:
            for form in dict.fromkeys((secret, quote(secret, safe=""), quote_plus(secret), quote(secret))):
                text = text.replace(form, "***")
    text = _URL_PASSWORD.sub(lambda m: f"{m.group('head')}***{m.group('at')}", text)
    return _KV_PASSWORD.sub(lambda m: f"{m.group('head')}***", text)


def one_line(text: str) -> str:
    """A message as one line: line breaks and runs of whitespace become one space."""
    return " ".join(text.split())
