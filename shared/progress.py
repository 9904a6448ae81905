"""Progress of long command-line work (replay, demo loading, benchmarks): a bar on stderr with
the count, the rate and the time left (rich) on a terminal; on anything else (a CI log, a pipe)
one plain line every few seconds and one at the end, so a log still shows that work moves."""

from __future__ import annotations

import sys
import time
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import TextIO

import httpx
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

#: Seconds between two plain lines when stderr is not a terminal.
PLAIN_EVERY = 5.0


class _Rate(ProgressColumn):
    """Items per second, as the bar's rate."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.0f}/s" if speed else "–/s", style="progress.data.speed")


class Progressing:
    """`with Progressing("重建读模型 (replay)", total) as p: … p.advance(n)` or `p.update(done)`.

    `total` None: the amount is not known ahead (a count and a rate, no time left)."""

    def __init__(self, what: str, total: int | None, *, stream: TextIO | None = None) -> None:
        self.what, self.total = what, total
        self.done = 0
        self._stream = stream or sys.stderr
        self._bar: Progress | None = None
        self._task: TaskID | None = None
        self._started = self._last_line = 0.0

    def __enter__(self) -> Progressing:
        self._started = self._last_line = time.monotonic()
        if self._stream.isatty():
            self._bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TaskProgressColumn(),
                _Rate(),
                TimeElapsedColumn(),
                TimeRemainingColumn(),
                console=Console(file=self._stream),
                transient=False,
            )
            self._bar.start()
            self._task = self._bar.add_task(self.what, total=self.total)
        return self

    def advance(self, n: int = 1) -> None:
        """`n` more items done."""
        self.update(self.done + n)

    def update(self, done: int, total: int | None = None) -> None:
        """`done` items done so far (of `total`, when it is known only now)."""
        self.done = done
        if total is not None:
            self.total = total
        if self._bar is not None and self._task is not None:
            self._bar.update(self._task, completed=done, total=self.total)
            return
        now = time.monotonic()
        if now - self._last_line >= PLAIN_EVERY:
            self._last_line = now
            print(self.line(now), file=self._stream, flush=True)

    def line(self, now: float | None = None) -> str:
        """The plain line: what, how many of how many, the rate and the time left."""
        elapsed = max((now or time.monotonic()) - self._started, 1e-9)
        rate = self.done / elapsed
        of = f"/{self.total:,}" if self.total is not None else ""
        text = f"{self.what}: {self.done:,}{of} ({rate:,.0f}/s"
        if self.total is not None and rate > 0 and self.done < self.total:
            text += f", 约 {(self.total - self.done) / rate:,.0f} s 剩余 (left)"
        return text + ")"

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._bar is not None:
            self._bar.stop()
        elif kind is None:
            print(self.line(), file=self._stream, flush=True)


def counting(progress: Progressing) -> dict[str, list[Callable[[httpx.Response], None]]]:
    """httpx event hooks (a `Client`) that count each response as one item done."""

    def count(_: httpx.Response) -> None:
        progress.advance()

    return {"response": [count]}


def counting_async(
    progress: Progressing,
) -> dict[str, list[Callable[[httpx.Response], Awaitable[None]]]]:
    """httpx event hooks (an `AsyncClient`) that count each response as one item done."""

    async def count(_: httpx.Response) -> None:
        progress.advance()

    return {"response": [count]}
