"""The first stage of the code search: which lines can hold a use, found with RE2.

Python's `re` walks every byte of every file; RE2 (Google's automaton-based engine, the
`google-re2` package) scans the same bytes several times faster and never backtracks. It
cannot express the search's exact boundaries (lookarounds), so it answers two cheaper
questions whose answers are supersets of the exact ones, and `scan.py` keeps the exact
pattern and every precision rule for the few lines that pass:

- *candidate lines*: the lines where a reported spelling stands between RE2 word boundaries
  (`\b` knows only ASCII letters, digits and `_` as word bytes, so every exact match, whose
  neighbours are not even `$` or a non-ASCII byte, is among them). A file with none has no
  use; on the others the exact regex runs on those lines only.
- *tables named in the file*: one pass of an RE2 set of every table spelling, each with the
  exact boundaries written as consuming classes (a set only says *which* patterns occur,
  so consuming a neighbour hides nothing). That equals what the exact regex finds when every
  spelling is made of word bytes; a plan with another spelling (`order items`) or with more
  spellings than the automaton's memory is sized for searches the previous way, whole file
  by exact regex (`exact_tables` is False).

Bytes are read as Latin-1, so any encoding (and invalid UTF-8) scans byte for byte.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import re2

WORD = rb"A-Za-z0-9_$\x80-\xff"  # the search's identifier bytes (JavaScript's `$`, non-ASCII)
_RE2_WORD = re.compile(rb"[A-Za-z0-9_]")  # what RE2's \b counts as a word byte
_ALL_WORD = re.compile(rb"[" + WORD + rb"]+\Z")
MAX_SET_SPELLINGS = 4000  # beyond this the set's automaton could outgrow its memory budget
_MEMORY = 256 << 20  # RE2's automaton budget; allocated only as states are built


@dataclass(frozen=True, slots=True)
class Candidates:
    """The compiled first stage of one plan (compiled once per process, not pickled)."""

    lines: Any  # re2 regexp: a whole line holding a reported spelling
    tables: Any  # re2 set of table spellings, or None when `exact_tables` is False
    set_tables: tuple[frozenset[str], ...]  # the tables each set pattern names
    exact_tables: bool

    def line_spans(self, data: bytes) -> list[tuple[int, int]]:
        """(start, end) of each candidate line, end at its newline or the end of the data."""
        return [m.span() for m in self.lines.finditer(data)]

    def tables_named(self, data: bytes) -> set[str]:
        """The tables (lower-cased) whose spellings stand as whole words somewhere in `data`."""
        if self.tables is None:  # no table spellings at all (or the caller searched whole files)
            return set()
        found = self.tables.Match(data) or ()
        return {t for i in found for t in self.set_tables[i]}


def compile_candidates(reported: Iterable[bytes], tables: Mapping[bytes, frozenset[str]]) -> Candidates:
    """`reported`: the spellings whose uses are hits; `tables`: every spelling that names
    a table, with the tables it names."""
    options = re2.Options()
    options.encoding = re2.Options.Encoding.LATIN1
    options.max_mem = _MEMORY
    words = sorted(reported, key=lambda s: (-len(s), s))
    alternation = b"|".join(_bounded(s) for s in words) or b"[^\\s\\S]"
    lines = re2.compile(rb"[^\n]*(?:" + alternation + rb")[^\n]*", options)
    exact = len(tables) <= MAX_SET_SPELLINGS and all(_ALL_WORD.match(s) for s in tables)
    if not exact or not tables:
        return Candidates(lines, None, (), exact)
    spelling_set = re2.Set.SearchSet(options)
    order = sorted(tables)
    for spelling in order:
        spelling_set.Add(rb"(?:\A|[^" + WORD + rb"])" + re.escape(spelling) + rb"(?:[^" + WORD + rb"]|\z)")
    spelling_set.Compile()
    return Candidates(lines, spelling_set, tuple(tables[s] for s in order), True)


def _bounded(spelling: bytes) -> bytes:
    """The spelling with RE2's `\b` on each side that starts or ends with an ASCII word byte
    (the other sides need no boundary to stay a superset)."""
    head = rb"\b" if _RE2_WORD.match(spelling[:1]) else b""
    tail = rb"\b" if _RE2_WORD.match(spelling[-1:]) else b""
    return head + re.escape(spelling) + tail
