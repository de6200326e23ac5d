"""The two ways rows move between partitions: by the hash of a column, or to a named partition.

Both are Dask's peer-to-peer shuffle (``shuffle_method="p2p"``): a number of tasks linear in the
partitions (one transfer and one output task per partition, and a barrier), where the
task-based shuffle makes one task per pair of partitions. A worker lost mid-shuffle makes the
scheduler run that shuffle again from its inputs, so the result does not change.
"""

from __future__ import annotations

import logging
from typing import Any

import dask.dataframe as dd
import pandas as pd
import pyarrow as pa

SHUFFLE_METHOD = "p2p"
#: Bytes in a frame column (Dask would take an object column for text).
BYTES = pd.ArrowDtype(pa.binary())


def quiet() -> None:
    """Keep the scheduler's routine notes about each shuffle (started, finished) out of a
    command's stderr: they are logged as warnings on every shuffle."""
    logging.getLogger("distributed.shuffle._scheduler_plugin").setLevel(logging.ERROR)


def shuffled(frames: list[Any], meta: pd.DataFrame, on: str) -> dd.DataFrame:
    """The frames (delayed or futures) as one Dask dataframe, shuffled so that equal values of
    ``on`` meet in one partition."""
    frame = dd.from_delayed(frames, meta=meta, verify_meta=False)
    result: dd.DataFrame = frame.shuffle(on=on, shuffle_method=SHUFFLE_METHOD)
    return result


def routed(frames: list[Any], meta: pd.DataFrame, to: str, count: int) -> list[Any]:
    """The frames' rows sent to the partition their column ``to`` names (0 to ``count`` - 1):
    ``count`` delayed frames, the i-th holding the rows whose ``to`` is i (as their index)."""
    frame = dd.from_delayed(frames, meta=meta, verify_meta=False)
    # Divisions 0, 1, …, count: partition i takes the values in [i, i + 1).
    placed = frame.set_index(
        to, divisions=list(range(count + 1)), shuffle_method=SHUFFLE_METHOD, sorted=False
    )
    parts: list[Any] = placed.to_delayed()
    return parts
