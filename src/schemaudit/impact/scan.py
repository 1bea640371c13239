"""Find the names in code: one compiled regex over every name, each file read once.

The pattern is a single alternation of all spellings, built as a trie (`user(?:s|_id)`) so
the regex engine tries each leading byte once instead of once per name, and anchored on the
character before a name (`[^word](?=[first bytes])(names)(?!word)`), which lets the engine
skip through the file to the next non-identifier byte instead of attempting a match at every
position, and give up at once where the next byte starts no name. Word
characters are ASCII letters, digits, `_`, `$` (JavaScript) and any non-ASCII byte, so a
name inside a longer identifier (`users` in `app_users`, `mode` in `model`) never matches,
while quotes and dots are boundaries: `"users"`, `` `users` ``, `[users]`, `runs.mode`.

Names are matched as the schema spells them and in upper case (SQL written in capitals);
`Users` in a UI label is not a use of the table `users`. Files are read as bytes and only
the lines that match are decoded, so an encoding other than UTF-8 never stops a search.

That regex is the exact rule, but Python's `re` is slow to walk a whole tree with it, so a
first stage (`candidates.py`, RE2) picks the lines it can match and the tables a file names;
the regex and the precision rules below run on those lines only, and find what they would
find on the whole file (a plan with `first_stage=False` searches the previous way, to compare).
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.context
import os
import re
import stat
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from schemaudit.impact import precise
from schemaudit.impact.candidates import WORD, Candidates, compile_candidates
from schemaudit.impact.model import Hit, Impact, Kind, SearchName, Skipped

DEFAULT_MAX_BYTES = 2 * 1024 * 1024
BINARY_PROBE = 8000  # like git: a NUL byte in the first 8000 bytes makes a file binary
PARALLEL_ABOVE = 2000  # files; fewer are searched in this process (no pool start-up cost)
_QUALIFIER = re.compile(rb"([" + WORD + rb"]+)[\"`\]]?\.[\"`\[]?\Z")
_TEXT_WIDTH = 200

Progress = Callable[[int, int], None]
_Trie = dict[int, "_Trie"]


@dataclass(frozen=True, slots=True)
class _Entry:
    names: tuple[SearchName, ...]
    tables: frozenset[str]  # the tables (lower-cased) this spelling names, if it names any


@dataclass(frozen=True, slots=True)
class Plan:
    """Everything a worker needs to search a file: picklable, compiled once per process."""

    pattern: bytes
    entries: dict[bytes, _Entry]
    known_tables: frozenset[str]
    max_bytes: int
    first_stage: bool = True  # False: the exact regex over every byte (the previous way), to compare
    precise: bool = True  # False: every word-level match counts (what grep finds), to compare
    regions: bool = True  # False: the precise stage parses whole Python files (the previous way), to compare


def make_plan(names: Sequence[SearchName], known_tables: Iterable[str], max_bytes: int = DEFAULT_MAX_BYTES) -> Plan:
    """The pattern and lookup for `names`; `known_tables` are every table name of both
    schemas, so `projects.status` is not taken for a use of `runs.status`."""
    found: dict[bytes, tuple[list[SearchName], set[str]]] = {}

    def add(spelling: str, name: SearchName | None, table: str | None) -> None:
        for variant in dict.fromkeys((spelling, spelling.upper())):
            slot = found.setdefault(variant.encode("utf-8"), ([], set()))
            if name is not None and name not in slot[0]:
                slot[0].append(name)
            if table is not None:
                slot[1].add(table)

    for name in names:
        if not name.name:
            continue
        add(name.name, name, name.name.lower() if name.kind is Kind.TABLE else None)
        for table in name.tables:  # context only: their uses are not reported
            add(table, None, table.lower())
    entries = {k: _Entry(tuple(v[0]), frozenset(v[1])) for k, v in found.items()}
    firsts = re.escape(bytes(sorted({spelling[0] for spelling in entries})))
    pattern = b"[^" + WORD + b"](?=[" + firsts + b"])(" + _trie(entries) + b")(?![" + WORD + b"])" if entries else b""
    return Plan(pattern, entries, frozenset(t.lower() for t in known_tables), max_bytes)


def search(
    root: Path,
    files: Sequence[str],
    plan: Plan,
    *,
    label: str,
    listing: str,
    names: tuple[SearchName, ...],
    jobs: int | None = None,
    progress: Progress | None = None,
) -> Impact:
    """Search `files` (relative to `root`) and collect the uses, in path and line order."""
    hits: list[Hit] = []
    skipped: list[Skipped] = []
    scanned = 0
    workers = _workers(len(files), jobs)
    chunks = _chunks(files, workers)
    done = 0
    if workers == 1:
        _init(plan)
        results: Iterable[tuple[list[Hit], list[Skipped], int]] = (_search_chunk(str(root), c) for c in chunks)
        for chunk, result in zip(chunks, results, strict=True):
            hits += result[0]
            skipped += result[1]
            scanned += result[2]
            done += len(chunk)
            if progress is not None:
                progress(done, len(files))
    else:
        with ProcessPoolExecutor(workers, mp_context=_context(), initializer=_init, initargs=(plan,)) as pool:
            futures = [pool.submit(_search_chunk, str(root), c) for c in chunks]
            for chunk, future in zip(chunks, futures, strict=True):
                found, missed, count = future.result()
                hits += found
                skipped += missed
                scanned += count
                done += len(chunk)
                if progress is not None:
                    progress(done, len(files))
    return Impact(label, listing, names, tuple(hits), scanned, tuple(skipped))


def search_bytes(data: bytes, path: str, plan: Plan) -> list[Hit]:
    """The uses in one file's content. Public so tests and the benchmark can call it."""
    regex = _compiled(plan)
    if regex is None:
        return []
    stage = _first_stage(plan) if plan.first_stage else None
    padded = b"\n" + data  # a boundary before the first byte
    if stage is None or not stage.exact_tables:
        raw = _matches(regex, padded, 0, len(padded))
        in_file = {t for _, s in raw for t in plan.entries[s].tables}
    else:
        # line [s, e) of data is padded[s + 1, e + 1), after the newline at padded[s]
        raw = [m for s, e in stage.line_spans(data) for m in _matches(regex, padded, s, e + 1)]
        wanted = any(_needs_file_tables(n) for _, s in raw for n in plan.entries[s].names)
        in_file = stage.tables_named(data) if wanted else set()
    if not raw:
        return []
    hits: list[Hit] = []
    line, counted_to = 1, 0
    for offset, spelling in raw:
        entry = plan.entries[spelling]
        if not entry.names:
            continue
        line += data.count(b"\n", counted_to, offset)
        counted_to = offset
        start = data.rfind(b"\n", 0, offset) + 1
        qualifier = _QUALIFIER.search(data, max(start, offset - 200), offset)
        qualified_by = qualifier.group(1).decode("utf-8", "replace").lower() if qualifier else None
        applies = tuple(n for n in entry.names if _applies(n, qualified_by, in_file, plan.known_tables))
        if not applies:
            continue
        end = data.find(b"\n", offset)
        text, column = _line_text(data[start : end if end >= 0 else len(data)], offset - start)
        is_qualified = qualified_by is not None and any(qualified_by in {t.lower() for t in n.tables} for n in applies)
        hits.append(Hit(path, line, column, text, spelling.decode("utf-8", "replace"), applies, is_qualified))
    if plan.precise and hits and precise.reads(path):
        return _precise(data, path, hits, plan)
    return hits


def read_code(path: str | Path, rel: str, max_bytes: int) -> bytes | Skipped:
    """A file's bytes, or why it is not searched. Symbolic links are not followed (the file
    they point at is searched where it lives, if it is in the tree)."""
    try:
        info = os.lstat(path)
    except OSError as exc:
        return Skipped(rel, f"unreadable: {exc.strerror or exc}")
    if stat.S_ISLNK(info.st_mode):
        return Skipped(rel, "symbolic link, not followed")
    if not stat.S_ISREG(info.st_mode):
        return Skipped(rel, "not a regular file")
    if info.st_size > max_bytes:
        return Skipped(rel, f"larger than {_size(max_bytes)} ({info.st_size:,} bytes)")
    try:
        with open(path, "rb") as handle:
            data = handle.read(info.st_size + 1)  # a buffer of the file's size, not of the limit
            if len(data) > info.st_size:  # it grew since lstat: read on, up to the limit
                data += handle.read(max_bytes + 1 - len(data))
    except OSError as exc:
        return Skipped(rel, f"unreadable: {exc.strerror or exc}")
    if len(data) > max_bytes:
        return Skipped(rel, f"larger than {_size(max_bytes)}")
    if b"\0" in data[:BINARY_PROBE]:
        return Skipped(rel, "binary (NUL byte)")
    return data


# ---- internals ---------------------------------------------------------------------------

_PLAN: Plan | None = None
_REGEX: tuple[bytes, re.Pattern[bytes]] | None = None
_STAGE: tuple[bytes, Candidates] | None = None
_CONTEXT: tuple[tuple[bytes, bool], precise.Context] | None = None


def _init(plan: Plan) -> None:
    global _PLAN
    _PLAN = plan


def _compiled(plan: Plan) -> re.Pattern[bytes] | None:
    global _REGEX
    if not plan.pattern:
        return None
    if _REGEX is None or _REGEX[0] != plan.pattern:
        _REGEX = (plan.pattern, re.compile(plan.pattern))
    return _REGEX[1]


def _first_stage(plan: Plan) -> Candidates:
    global _STAGE
    if _STAGE is None or _STAGE[0] != plan.pattern:
        reported = [s for s, e in plan.entries.items() if e.names]
        tables = {s: e.tables for s, e in plan.entries.items() if e.tables}
        _STAGE = (plan.pattern, compile_candidates(reported, tables))
    return _STAGE[1]


def _precise(data: bytes, path: str, hits: list[Hit], plan: Plan) -> list[Hit]:
    """The hits the precise stage keeps, each with the names it is a use of."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return hits  # columns were counted on replaced bytes: keep the word-level answer
    found = [precise.Found(h.line, h.column - 1, h.spelling, h.names) for h in hits]
    verdicts = precise.judge(path, text, found, _precise_context(plan))
    kept = zip(hits, verdicts, strict=True)
    return [h if names == h.names else replace(h, names=names) for h, names in kept if names]


def _precise_context(plan: Plan) -> precise.Context:
    global _CONTEXT
    if _CONTEXT is None or _CONTEXT[0] != (plan.pattern, plan.regions):
        spellings = {s.decode("utf-8", "replace"): e.tables for s, e in plan.entries.items() if e.tables}
        rows = precise.row_words(plan.known_tables)
        context = precise.Context(spellings, plan.known_tables, rows, plan.regions)
        _CONTEXT = ((plan.pattern, plan.regions), context)
    return _CONTEXT[1]


def _matches(regex: re.Pattern[bytes], padded: bytes, start: int, end: int) -> list[tuple[int, bytes]]:
    """(offset in the unpadded data, spelling) of each exact match in padded[start:end]."""
    return [(m.start(1) - 1, m.group(1)) for m in regex.finditer(padded, start, end)]


def _search_chunk(root: str, files: Sequence[str]) -> tuple[list[Hit], list[Skipped], int]:
    plan = _PLAN
    assert plan is not None, "_init() sets the plan first"
    hits: list[Hit] = []
    skipped: list[Skipped] = []
    scanned = 0
    for rel in files:
        data = read_code(os.path.join(root, rel), rel, plan.max_bytes)
        if isinstance(data, Skipped):
            skipped.append(data)
            continue
        scanned += 1
        hits += search_bytes(data, rel, plan)
    return hits, skipped, scanned


def _context() -> multiprocessing.context.BaseContext:
    """Workers started from a fork server, not forked from this process: the progress
    display's refresh thread (and any lock it holds) must not be copied into a worker. The
    fork server imports this module once (`start_early`), and each worker is a fork of it."""
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" not in methods:
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    return context


def start_early() -> None:
    """Start the search pool's fork server now, so that it starts and imports the search
    while this process reads the schemas and audits (a second core is idle then). Costs a
    process that imports this module when the search ends up not needing a pool."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        _context()
        from multiprocessing import forkserver

        forkserver.ensure_running()


def _workers(count: int, jobs: int | None) -> int:
    if jobs is not None:
        return max(1, min(jobs, count or 1))
    if count < PARALLEL_ABOVE:
        return 1
    return max(1, min(4, os.cpu_count() or 1))


def _chunks(files: Sequence[str], workers: int) -> list[Sequence[str]]:
    """Consecutive slices (results come back in path order), small enough that progress
    moves and the workers finish together, large enough that passing them costs nothing."""
    size = max(1, min(500, -(-len(files) // (workers * 8)))) if workers > 1 else 250
    return [files[i : i + size] for i in range(0, len(files), size)]


def _applies(name: SearchName, qualifier: str | None, in_file: set[str], known: frozenset[str]) -> bool:
    """Whether a use of this spelling is a use of `name`. A table name always is. A column
    name qualified by a table (`runs.mode`, `"runs"."mode"`) is when that table is its own;
    otherwise (`row.mode`, bare `mode`) when it is distinctive or its table is named in the
    same file."""
    if name.kind is Kind.TABLE:
        return True
    tables = {t.lower() for t in name.tables}
    if qualifier is not None and qualifier in known:
        return qualifier in tables
    return name.standalone or not tables.isdisjoint(in_file)


def _needs_file_tables(name: SearchName) -> bool:
    """Whether `_applies` may read the tables named in the file for this name (a bare column
    name that is not distinctive); the first stage looks them up only then."""
    return name.kind is Kind.COLUMN and not name.standalone


def _line_text(line: bytes, offset: int) -> tuple[str, int]:
    """The line as text (trimmed; a window around the match when it is long) and the
    1-based character column of the match."""
    column = len(line[:offset].decode("utf-8", "replace")) + 1
    text = line.decode("utf-8", "replace").rstrip("\r\n")
    stripped = text.lstrip()
    lead = len(text) - len(stripped)
    text = stripped.rstrip()
    at = column - 1 - lead
    if len(text) > _TEXT_WIDTH:
        begin = max(0, at - _TEXT_WIDTH // 3)
        end = begin + _TEXT_WIDTH
        text = ("…" if begin else "") + text[begin:end] + ("…" if end < len(text) else "")
    return text, column


def _size(n: int) -> str:
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= scale:
            value = n / scale
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{n} bytes"


def _trie(words: Iterable[bytes]) -> bytes:
    """One regex alternative for all words, sharing prefixes: [users, user_id] ->
    `user(?:_id|s)`. Longer continuations are tried first, and the lookahead after the
    group makes the engine back off to a shorter word where the longer one does not end."""
    root: _Trie = {}
    ends: set[int] = set()
    for word in words:
        node = root
        for byte in word:
            node = node.setdefault(byte, {})
        ends.add(id(node))
    return _trie_node(root, ends)


def _trie_node(node: _Trie, ends: set[int]) -> bytes:
    branches = [re.escape(bytes([byte])) + _trie_node(child, ends) for byte, child in sorted(node.items())]
    if not branches:
        return b""
    body = branches[0] if len(branches) == 1 else b"(?:" + b"|".join(branches) + b")"
    if id(node) in ends:  # a word ends here: what follows is optional
        return b"(?:" + body + b")?" if len(branches) == 1 else body + b"?"
    return body
