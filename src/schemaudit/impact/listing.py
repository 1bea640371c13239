"""Which files to search: code files under a folder, as the project's own git sees them.

In a git work tree git lists the files (`git ls-files --cached --others --exclude-standard`:
tracked plus untracked-but-not-ignored, honouring every .gitignore, .git/info/exclude and the
user's global excludes); anywhere else a walk honours the .gitignore files it finds. Either
way, folders that hold someone else's or generated code (node_modules, .venv, vendor, build
output, caches) and generated files (minified bundles, lock files, protobuf stubs) are left
out: a rename in our schema is not a reason to edit them.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from schemaudit.errors import SchemauditError
from schemaudit.impact import gitignore

# suffix -> language, for reports and SARIF
LANGUAGES: dict[str, str] = {
    ".py": "Python",
    ".pyi": "Python",
    ".sql": "SQL",
    ".yaml": "YAML",
    ".yml": "YAML",
    ".json": "JSON",
    ".js": "JavaScript",
    ".jsx": "JavaScript",
    ".mjs": "JavaScript",
    ".cjs": "JavaScript",
    ".ts": "TypeScript",
    ".tsx": "TypeScript",
    ".mts": "TypeScript",
    ".cts": "TypeScript",
}

SKIP_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        "bower_components",
        ".venv",
        "venv",
        ".tox",
        ".nox",
        ".eggs",
        "site-packages",
        "__pycache__",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        "vendor",
        "vendored",
        "third_party",
        "generated",
        "__generated__",
        "dist",
        "build",
        ".next",
        ".nuxt",
        "coverage",
    }
)
_GENERATED_SUFFIXES = (".min.js", ".bundle.js", ".min.mjs", "_pb2.py", "_pb2.pyi", "_pb2_grpc.py", ".d.ts.map")
_GENERATED_NAMES = frozenset({"package-lock.json", "npm-shrinkwrap.json", "composer.lock", "Pipfile.lock"})


@dataclass(frozen=True, slots=True)
class Listing:
    """Code files to search, relative to the folder and '/'-separated, sorted; `method`
    says how they were listed (reports show it, so a reader knows .gitignore was honoured)."""

    files: tuple[str, ...]
    method: str


def check_folder(root: Path) -> None:
    """A one-line error for a code folder that cannot be searched at all."""
    if not root.exists():
        raise SchemauditError(f"code folder {root} does not exist")
    if not root.is_dir():
        raise SchemauditError(f"code folder {root} is not a folder")
    if not os.access(root, os.R_OK | os.X_OK):
        raise SchemauditError(f"code folder {root} cannot be read (permission denied)")


def list_code_files(root: Path) -> Listing:
    check_folder(root)
    listed = _git_files(root)
    if listed is not None:
        return Listing(_keep(listed), "git (tracked and untracked files, .gitignore honoured)")
    return Listing(_keep(_walk(root)), "a folder walk (.gitignore files honoured)")


def is_code(path: str) -> bool:
    """A code file we search: a known suffix, not generated, not in a skipped folder."""
    parts = path.split("/")
    name = parts[-1]
    if os.path.splitext(name)[1].lower() not in LANGUAGES:  # Path(name).suffix, without the object
        return False
    if name in _GENERATED_NAMES or name.lower().endswith(_GENERATED_SUFFIXES):
        return False
    return not any(part in SKIP_DIRS or part.endswith(".egg-info") for part in parts[:-1])


def language(path: str) -> str:
    """The language of a '/'-separated path, by its suffix (as `is_code` reads it: a report
    asks once per file, and a `Path` per file was most of writing a large report's JSON)."""
    return LANGUAGES.get(os.path.splitext(path.rpartition("/")[2])[1].lower(), "text")


def _keep(paths: list[str]) -> tuple[str, ...]:
    return tuple(sorted({p for p in paths if is_code(p)}))


def _git_files(root: Path) -> list[str] | None:
    """Files git lists under `root`, or None when `root` is not in a work tree git can use
    (no git, not a repository, or a repository git refuses, e.g. for dubious ownership)."""
    git = shutil.which("git")
    if git is None:
        return None
    inside = subprocess.run(
        [git, "-C", str(root), "rev-parse", "--is-inside-work-tree"],
        capture_output=True,
        text=True,
        check=False,
    )
    if inside.returncode != 0 or inside.stdout.strip() != "true":
        return None
    listed = subprocess.run(
        [git, "-C", str(root), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        capture_output=True,
        check=False,
    )
    if listed.returncode != 0:
        message = listed.stderr.decode("utf-8", "replace").strip().splitlines()
        raise SchemauditError(f"git ls-files failed in {root}: {message[0] if message else listed.returncode}")
    return [os.fsdecode(p) for p in listed.stdout.split(b"\0") if p]


def _walk(root: Path) -> list[str]:
    """Every file under `root` not ignored by a .gitignore on its way down; skipped folders
    are never entered, and neither are symbolic links to folders."""
    found: list[str] = []
    stack: list[tuple[Path, str, tuple[gitignore.IgnoreFile, ...]]] = [(root, "", ())]
    while stack:
        folder, rel, ignores = stack.pop()
        ignore_file = folder / ".gitignore"
        if ignore_file.is_file():
            with contextlib.suppress(OSError):  # an unreadable .gitignore ignores nothing, as in git
                ignores = (*ignores, gitignore.parse(ignore_file.read_text(encoding="utf-8", errors="replace"), rel))
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            path = f"{rel}/{entry.name}" if rel else entry.name
            is_dir = entry.is_dir(follow_symlinks=False)
            if is_dir and (entry.name in SKIP_DIRS or entry.name.endswith(".egg-info")):
                continue
            if gitignore.ignored(ignores, path, is_dir):
                continue
            if is_dir:
                stack.append((Path(entry.path), path, ignores))
            else:
                found.append(path)
    return found
