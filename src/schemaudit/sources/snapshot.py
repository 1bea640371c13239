"""`snapshot:FILE.json`: a schema saved earlier by `schemaudit inspect -o FILE.json`."""

from __future__ import annotations

from pathlib import Path

from schemaudit import snapshot
from schemaudit.errors import SourceError
from schemaudit.model import Schema
from schemaudit.sources import LoadOptions


def load(spec: str, options: LoadOptions) -> Schema:
    path = Path(spec.split(":", 1)[1] if spec.startswith("snapshot:") else spec)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SourceError(f"snapshot file not found: {path}") from None
    except IsADirectoryError:
        raise SourceError(f"snapshot path is a directory, not a file: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(f"cannot read snapshot {path}: {exc}") from None
    return snapshot.loads(text, where=str(path))
