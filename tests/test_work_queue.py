"""The queue the forked readers and writers take their pages from (book.engine.work_queue)."""

from __future__ import annotations

import functools
import itertools
import multiprocessing
import time

import pytest
from sphinx.util.parallel import ParallelTasks

from book.engine.work_queue import WorkerFailed, WorkQueue, join, milestones, start


def _run(queue: WorkQueue[int], workers: list, runs: list[list[int]]) -> tuple[list[list[int]], list[int]]:
    """Each of ``workers`` in a forked process: what each took, and how many items were
    done each time the progress display moved."""
    taken: list[list[int]] = []
    moves: list[int] = []
    tasks = ParallelTasks(len(workers))
    start(tasks, workers, taken.append)
    join(tasks, queue, runs, lambda: moves.append(queue.done))
    return taken, moves


def _drain(queue: WorkQueue[int]) -> list[int]:
    return [item for batch in queue.take() for item in batch]


@pytest.mark.parametrize(("items", "batch", "workers"), [(103, 4, 2), (7, 3, 3), (1, 5, 2), (0, 4, 2)])
def test_every_item_goes_to_exactly_one_worker_in_order(items: int, batch: int, workers: int) -> None:
    queue = WorkQueue(list(range(items)), batch)
    taken, _ = _run(queue, [lambda: _drain(queue)] * workers, milestones(queue.items, 5))
    assert sorted(i for got in taken for i in got) == list(range(items))
    for got in taken:
        assert got == sorted(got)  # each worker's pages in the queue's order
    assert queue.done == items


def test_a_stalled_worker_does_not_hold_back_the_rest() -> None:
    # The point of the queue: a worker slowed down (a kernel on its core, a costly page)
    # takes less, and the others take what it would have had in a fixed share.
    queue = WorkQueue(list(range(40)), 2)
    started, drained = (multiprocessing.get_context("fork").Event() for _ in range(2))

    def slow() -> list[int]:
        batches = queue.take()
        got = next(batches)
        started.set()
        drained.wait(timeout=60)
        return got + [i for batch in batches for i in batch]

    def fast() -> list[int]:
        started.wait(timeout=60)
        got = _drain(queue)
        drained.set()
        return got

    taken, _ = _run(queue, [slow, fast], [])
    assert sorted(map(len, taken)) == [2, 38]


def test_progress_moves_once_per_run_never_ahead_of_the_work() -> None:
    items = list(range(60))
    runs = milestones(items, 7)
    assert [i for run in runs for i in run] == items
    assert 6 <= len(runs) <= 7
    queue = WorkQueue(items, 3)

    def worker() -> list[int]:
        got = []
        for batch in queue.take():
            time.sleep(0.005)  # a page takes time, so the display moves while work is left
            got += batch
        return got

    _, moves = _run(queue, [worker, worker], runs)
    assert len(moves) == len(runs)
    ends = list(itertools.accumulate(map(len, runs)))
    assert all(done >= end for done, end in zip(moves, ends, strict=True))


def test_a_failing_worker_fails_the_build_with_its_error() -> None:
    # However soon it fails: Sphinx's add_task would swallow the error of a process that
    # ended before the next one was added.
    from sphinx.errors import SphinxParallelError

    def broken() -> None:
        raise RuntimeError("page 3 could not be written")

    for _ in range(5):
        queue = WorkQueue(list(range(10)), 2)
        with pytest.raises(SphinxParallelError, match="page 3 could not be written"):
            _run(queue, [broken, functools.partial(_drain, queue)], milestones(queue.items, 3))


def test_pages_taken_and_not_finished_fail_the_build() -> None:
    queue = WorkQueue(list(range(10)), 2)
    took = multiprocessing.get_context("fork").Event()

    def quits() -> list[int]:
        batch = next(queue.take())  # takes two pages and never finishes them
        took.set()
        return batch

    def drains() -> list[int]:
        took.wait(timeout=60)
        return _drain(queue)

    with pytest.raises(WorkerFailed, match="2 of 10 pages were left unfinished"):
        _run(queue, [quits, drains], [])


def test_batch_must_be_positive() -> None:
    with pytest.raises(ValueError, match="batch must be at least 1"):
        WorkQueue([1, 2], 0)


def test_a_process_asked_to_leave_work_stops_early_and_the_rest_is_still_taken() -> None:
    # Readers but the first stop while a share of what they read is left, so the main
    # process merges them while the first reads it; nothing is dropped on the way.
    queue = WorkQueue(list(range(100)), 10)
    first = [i for batch in queue.take(leave=1.0) for i in batch]
    assert first == list(range(50))  # stopped with 50 left, as many as it had taken
    assert _drain(queue) == list(range(50, 100))
    assert queue.done == 100
