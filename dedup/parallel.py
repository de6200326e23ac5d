"""Pure work spread over worker processes, results in input order, a bounded amount in flight.

``ordered_map(function, items, jobs)`` is ``map`` for ``jobs <= 1``; else it runs ``function``
on a process pool, keeping a few items per worker submitted: ``Executor.map`` would submit every
item at once, so a stream of a million texts would sit in its queue. Results come back in
submission order, so callers get the same answer for every ``jobs``.
"""

from __future__ import annotations

import collections
import contextlib
import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Protocol, TypeVar

In = TypeVar("In")
Out = TypeVar("Out")


class Mapper(Protocol):
    """Runs ``function`` on each item somewhere else (a cluster's workers), results in input
    order: what ``ordered_map`` does on a process pool, for a stage that takes one."""

    def __call__(self, function: Callable[[In], Out], items: Iterable[In], /) -> Iterator[Out]:
        """``function(item)`` for each item, in order."""
        ...

#: Items in flight per worker process: enough that no worker waits for the next.
IN_FLIGHT_PER_JOB = 3


def ordered_map(function: Callable[[In], Out], items: Iterable[In], jobs: int) -> Iterator[Out]:
    """``function(item)`` for each item, in order, on ``jobs`` processes (1: this one)."""
    if jobs <= 1:
        yield from map(function, items)
        return
    with ProcessPoolExecutor(max_workers=jobs, initializer=_ignore_interrupt) as pool:
        window: collections.deque[Future[Out]] = collections.deque()
        for submitted, item in enumerate(items):
            # The first `jobs` submits start the workers (all at the first with fork).
            starting = _workers_ignore_interrupt() if submitted < jobs else contextlib.nullcontext()
            with starting:
                window.append(pool.submit(function, item))
            if len(window) >= IN_FLIGHT_PER_JOB * jobs:
                yield window.popleft().result()
        while window:
            yield window.popleft().result()


def _ignore_interrupt() -> None:
    """In a worker: leave Ctrl-C to the parent, which stops the pool and says so in one line
    (else every worker prints its own KeyboardInterrupt traceback)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextlib.contextmanager
def _workers_ignore_interrupt() -> Iterator[None]:
    """Ctrl-C ignored while workers start, so they inherit it ignored (fork) or start with it
    ignored (spawn): a Ctrl-C in the moment a worker starts, before ``_ignore_interrupt`` has
    run in it, would otherwise kill it mid-start and leave the pool hanging. Only the main
    thread may set signal handlers; elsewhere this does nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler if previous is None else previous)
