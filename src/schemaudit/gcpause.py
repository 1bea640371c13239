"""Pausing Python's cyclic garbage collector while a large model is built.

Building a schema of thousands of tables allocates hundreds of thousands of small objects
with no reference cycles; the collector would walk them again and again for nothing (it
costs a third of the assembly time). Sources may run in threads at once (`audit` reads
both sides concurrently), so the pause is counted: the collector is switched off by the
first builder in and restored by the last one out, never left off by an interleaving.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextmanager
def paused_gc() -> Iterator[None]:
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()


def settle() -> None:
    """Move every object alive now out of the collector's sight (`gc.freeze`), for a
    command-line process that has just read its schemas and keeps them until it exits.

    They hold no reference cycles, but hundreds of thousands of them were built with the
    collector paused, so the first collections afterwards, and each full one, walked them
    all again while the audit and the plan allocated: two thirds of the audit of two
    5,000-table databases. Frozen objects are still freed by reference counting; only a
    cycle already unreachable now would be kept, which a process about to finish can
    afford. Not for library calls: a long-lived caller decides about its own heap."""
    gc.freeze()
