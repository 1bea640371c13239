"""When a report was written and by which schemaudit, for its header.

A reviewer asks both first ("is this current?", "which rules?"). The date honours
`SOURCE_DATE_EPOCH` (the reproducible-builds convention), so golden reports and a CI that
diffs reports run to run stay byte-identical; without it, today's date (UTC).
"""

from __future__ import annotations

import os
from datetime import date, datetime, timezone

from schemaudit import __version__


def report_date() -> date:
    """Today (UTC), or the day of `SOURCE_DATE_EPOCH` when it is set to a number."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc).date()
    return datetime.now(tz=timezone.utc).date()


def stamp() -> str:
    """`2026-01-01, schemaudit 0.1.0`."""
    return f"{report_date().isoformat()}, schemaudit {__version__}"
