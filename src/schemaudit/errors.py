"""User-facing errors: one clear line on stderr and exit code 2, never a traceback."""

from __future__ import annotations

import re


class SchemauditError(Exception):
    """Bad input or an unusable source. The message is shown to the user as is."""


class SourceError(SchemauditError):
    """A source could not be read (missing file, unreachable server, bad credentials)."""


_URL_PASSWORD = re.compile(r"(?P<head>[a-zA-Z][a-zA-Z0-9+.\-]*://[^:/@\s]*:)(?P<pw>[^@\s]*)(?P<at>@)")
_KV_PASSWORD = re.compile(r"(?i)(?P<head>\bpassword\s*=\s*)(?P<pw>'[^']*'|\"[^\"]*\"|[^\s&;]+)")


def mask_secrets(text: str, *secrets: str | None) -> str:
    """Remove passwords from any text before it is shown: URLs, key=value pairs, and the
    literal secrets given (a driver may echo a password inside its own error message)."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    text = _URL_PASSWORD.sub(lambda m: f"{m.group('head')}***{m.group('at')}", text)
    return _KV_PASSWORD.sub(lambda m: f"{m.group('head')}***", text)
