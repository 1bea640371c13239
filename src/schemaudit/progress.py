"""Progress on stderr for the slow parts of a command (reading a big schema, searching a big
tree), so a person at a terminal sees it move and stdout carries nothing but the report.

Shown only when stderr is a terminal and the user did not ask for `--quiet`: in CI logs and
pipes there is nothing to redraw, and a captured log full of spinner frames helps nobody.
The display is redrawn when there is news (a step starts, a batch of files is done), never
from a background thread, so the code search can fork its worker processes safely.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import TYPE_CHECKING, Protocol, TextIO

from schemaudit.errors import mask_secrets

if TYPE_CHECKING:
    from rich.progress import TaskID


class Steps(Protocol):
    def step(self, label: str) -> AbstractContextManager[None]: ...

    def files(self, done: int, total: int) -> None: ...


class _Silent:
    @contextmanager
    def step(self, label: str) -> Iterator[None]:
        yield

    def files(self, done: int, total: int) -> None:
        return None


class _Rich:
    def __init__(self, stream: TextIO, color: bool) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self.console = Console(file=stream, no_color=not color, highlight=False)
        self.progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=self.console,
            transient=True,
            auto_refresh=False,  # no refresh thread: the code search may fork worker processes
        )
        self.task: TaskID | None = None

    @contextmanager
    def step(self, label: str) -> Iterator[None]:
        task = self.progress.add_task(mask_secrets(label), total=None)
        self.task = task
        self.progress.refresh()
        try:
            yield
        finally:
            self.progress.remove_task(task)
            self.task = None

    def files(self, done: int, total: int) -> None:
        if self.task is not None:
            self.progress.update(self.task, completed=done, total=total, refresh=True)


@contextmanager
def progress(quiet: bool, color: bool = True, stream: TextIO | None = None) -> Iterator[Steps]:
    """Steps that draw on stderr when it is a terminal and not `quiet`, else do nothing."""
    stream = stream if stream is not None else sys.stderr
    if quiet or not stream.isatty():
        yield _Silent()
        return
    shown = _Rich(stream, color)
    with shown.progress:
        yield shown
