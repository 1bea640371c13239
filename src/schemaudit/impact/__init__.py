"""Where the drift touches code: the files and lines that use a renamed or missing name.

    from schemaudit.impact import find_impact
    impact = find_impact(audit_result, Path("."))
    for hit in impact.hits:
        print(f"{hit.path}:{hit.line}: {hit.text}")

`names.py` decides what to look for, `listing.py` which files to read (git's view of the
tree, or a .gitignore-aware walk), `scan.py` how (one regex and the context rules, each file
read once), `candidates.py` which lines that regex needs to see (RE2, a first stage), and
`schemaudit.report.impact` shows it in the reports.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from schemaudit.impact.listing import check_folder, list_code_files
from schemaudit.impact.model import FileUses, Hit, Impact, Kind, SearchName, Skipped
from schemaudit.impact.names import search_names
from schemaudit.impact.scan import DEFAULT_MAX_BYTES, Progress, make_plan, search, start_early

if TYPE_CHECKING:  # a search worker imports this package: it needs the scan, not the audit
    from schemaudit.audit.result import Audit


def find_impact(
    audit: Audit,
    root: Path,
    *,
    label: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    jobs: int | None = None,
    progress: Progress | None = None,
) -> Impact:
    """The uses, under `root`, of every table and column the audit found renamed or missing.
    `label` is how reports name the folder (default: `root` as given)."""
    names = search_names(audit)
    listing = list_code_files(root)
    label = label if label is not None else str(root)
    if not names:
        return Impact(label, listing.method, names, (), 0)
    known = {t.name for t in audit.target.tables} | {t.name for t in audit.current.tables}
    plan = make_plan(names, known, max_bytes)
    return search(
        root, listing.files, plan, label=label, listing=listing.method, names=names, jobs=jobs, progress=progress
    )


__all__ = [
    "DEFAULT_MAX_BYTES",
    "FileUses",
    "Hit",
    "Impact",
    "Kind",
    "SearchName",
    "Skipped",
    "check_folder",
    "find_impact",
    "search_names",
    "start_early",
]
