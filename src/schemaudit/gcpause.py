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
