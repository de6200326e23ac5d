"""Progress of a long scan, for whoever wants to show it (``dedup.scan(..., progress=...)``).

The library itself prints nothing: a caller passes a callable that receives a ProgressEvent at
the start of each stage, after each batch, and at the stage's end. The command line turns the
events into a bar on a terminal (``dedup/cli/progress.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TypeVar

import attrs

T = TypeVar("T")


@attrs.frozen
class ProgressEvent:
    """``done`` of ``total`` items of ``unit`` through ``stage`` so far.

    Stages come in order (sketching, indexing, verifying, stories, lineage, aligning); ``done``
    only grows within a stage; ``total`` is None while not known: documents are read as they
    are sketched, so their number is known when sketching ends.
    """

    stage: str
    done: int
    total: int | None
    unit: str


#: What ``scan``/``scan_documents`` call with each event; it must not raise.
Progress = Callable[[ProgressEvent], None]


def notify(
    progress: Progress | None, stage: str, done: int, total: int | None, unit: str
) -> None:
    """Send one event when there is someone to tell."""
    if progress is not None:
        progress(ProgressEvent(stage, done, total, unit))


def counted(
    items: Sequence[T] | Iterable[T],
    progress: Progress | None,
    stage: str,
    unit: str,
    every: int = 64,
) -> Iterator[T]:
    """``items`` unchanged, with an event every ``every`` items and one at the end.

    The total is the length of a sequence, None for another iterable.
    """
    if progress is None:
        yield from items
        return
    total = len(items) if isinstance(items, Sequence) else None
    done = 0
    notify(progress, stage, done, total, unit)
    for item in items:
        yield item
        done += 1
        if done % every == 0:
            notify(progress, stage, done, total, unit)
    notify(progress, stage, done, done, unit)
