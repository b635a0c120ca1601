"""Pages handed out to forked workers a few at a time, as each asks for more.

Sphinx forks a process per chunk of pages, fixed before any work starts.  With
one chunk per core, the cores finish seconds apart when the chunks' pages cost
unlike amounts (or the data notebook's kernel takes one core for a while); with
many small chunks, every chunk forks the whole environment again and dirties
its copy-on-write pages.  Here one process per core takes the next few pages
from a counter in shared memory until none are left, so the cores finish
together and each forks once.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Generic, TypeVar

from .. import lifeline

T = TypeVar("T")
R = TypeVar("R")


class WorkQueue(Generic[T]):
    """``items`` taken in order, ``batch`` at a time, by processes forked after this
    queue was made (its counter lives in memory they share)."""

    def __init__(self, items: Sequence[T], batch: int) -> None:
        if batch < 1:
            raise ValueError(f"batch must be at least 1, not {batch}")
        self.items = items
        self.batch = batch
        self._next = multiprocessing.get_context("fork").Value("q", 0)
        self._done = multiprocessing.get_context("fork").Value("q", 0, lock=False)

    def take(self, leave: float = 0.0) -> Iterator[list[T]]:
        """Batches for this process until the queue is empty, or until no more than
        ``leave`` times what this process took is left for the others."""
        taken = 0
        while True:
            with self._next.get_lock():
                start = self._next.value
                if start < len(self.items) and len(self.items) - start <= leave * taken:
                    return
                self._next.value = start + self.batch
            chunk = list(self.items[start : start + self.batch])
            if not chunk:
                return
            taken += len(chunk)
            yield chunk
            # Written by the taker only after its batch is done; read for progress.
            with self._next.get_lock():
                self._done.value += len(chunk)

    @property
    def done(self) -> int:
        """How many items are finished, across all processes."""
        return self._done.value


def milestones(items: Sequence[T], count: int) -> list[list[T]]:
    """``items`` cut into about ``count`` consecutive runs, for a progress display that
    moves as the queue's ``done`` count passes the end of each."""
    size = max(1, -(-len(items) // max(1, count)))
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


class WorkerFailed(RuntimeError):
    """A worker ended without finishing the items it took."""


def start(tasks: Any, workers: Sequence[Callable[[], R]], on_result: Callable[[R], object]) -> None:
    """Each of ``workers`` in a process of Sphinx's ``ParallelTasks`` (7.4), ``on_result``
    to be called with what each returns (by ``join``).

    The workers wait until all are started: ``ParallelTasks.add_task`` collects any
    process that has already finished, and swallows the error of one that failed."""
    go = multiprocessing.get_context("fork").Event()
    parent = os.getpid()

    def run(worker: Callable[[], R]) -> R:
        # Killed, the build would leave its readers and writers blocked on their pipes for good.
        lifeline.die_with_parent(parent)
        go.wait()
        return worker()

    for worker in workers:
        tasks.add_task(run, worker, lambda _, result: on_result(result))
    go.set()


def join(tasks: Any, queue: WorkQueue[Any], runs: Sequence[Sequence[Any]], advance: Callable[[], object]) -> None:
    """Sphinx's ``ParallelTasks.join`` (7.4), calling ``advance`` once per run of
    ``runs`` as the workers finish that many items; raises ``WorkerFailed`` if the
    workers ended with items of the queue unfinished."""
    passed, reached = 0, 0
    try:
        while tasks._pworking:
            joined = tasks._join_one()
            while passed < len(runs) and queue.done >= reached + len(runs[passed]):
                reached += len(runs[passed])
                passed += 1
                advance()
            if not joined:
                time.sleep(0.02)
    finally:
        tasks.terminate()
    if queue.done < len(queue.items):
        missing = len(queue.items) - queue.done
        raise WorkerFailed(f"{missing} of {len(queue.items)} pages were left unfinished by a worker process that ended")
    for _ in range(passed, len(runs)):
        advance()
