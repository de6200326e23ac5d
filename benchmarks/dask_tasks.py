"""Tasks and CPU-seconds per stage of a Dask scan, counted by the scheduler as they finish.

Every task's key names its function (``dask.utils.key_split``, which drops a leading ``_``):
``STAGES`` maps each function of ``dedup.dask`` to the stage it belongs to; a shuffle's own
tasks (transfer, barrier, unpack) are counted to the stage whose frames they move. The bytes a
shuffle moves are the sizes of the frames its transfer tasks take in. Used by
``benchmarks/dask_scale.py`` and ``tests/dask/test_tables.py``.
"""

from __future__ import annotations

import collections
from typing import Any

from dask.utils import key_split
from distributed import LocalCluster
from distributed.diagnostics.plugin import SchedulerPlugin

#: The functions of each stage.
STAGES = {
    "read": ("count_newlines", "read_shard", "records"),
    "ids": ("id_frame", "repeated_ids"),
    "features": ("prepare", "features_only", "size", "client_part", "write_loaded"),
    "exact": ("key_frame", "exact_edges"),
    "lsh": ("band_frame", "bucket_candidates", "distinct_pairs"),
    "verify": ("requests", "offers", "verify_routed", "verified", "write_exact",
               "write_verified"),
    "families": ("edge_array", "forest", "component_rows", "summaries", "key_sample", "placed",
                 "write_range", "rows_for", "len"),
}  # fmt: skip
_STAGE_OF = {name: stage for stage, names in STAGES.items() for name in names}


class TaskCounter(SchedulerPlugin):  # type: ignore[misc]
    """Counts each task once when it finishes, by its stage; sums its compute seconds."""

    def __init__(self) -> None:
        self.scheduler: Any = None
        self.tasks: collections.Counter[str] = collections.Counter()
        #: The stage's own tasks (its dedup functions), without the shuffles' tasks.
        self.own: collections.Counter[str] = collections.Counter()
        self.prefixes: collections.Counter[str] = collections.Counter()
        self.seconds: collections.Counter[str] = collections.Counter()
        self.shuffle_bytes: collections.Counter[str] = collections.Counter()

    async def start(self, scheduler: Any) -> None:
        self.scheduler = scheduler

    def transition(self, key: Any, start: str, finish: str, *args: Any, **kwargs: Any) -> None:
        if start != "processing" or finish != "memory":
            return
        name = key_split(key)
        self.prefixes[name] += 1
        stage = self._stage(key, name)
        self.tasks[stage] += 1
        if name in _STAGE_OF:
            self.own[stage] += 1
        for item in kwargs.get("startstops", ()):
            if item.get("action") == "compute":
                self.seconds[stage] += item["stop"] - item["start"]
        if name == "shuffle-transfer":
            state = self.scheduler.tasks.get(key)
            moved = sum(dep.nbytes for dep in state.dependencies) if state is not None else 0
            self.shuffle_bytes[stage] += max(moved, 0)

    def _stage(self, key: Any, name: str) -> str:
        if name in _STAGE_OF:
            return _STAGE_OF[name]
        return self._upstream_stage(key, set())

    def _upstream_stage(self, key: Any, seen: set[Any]) -> str:
        """A shuffle's task: the stage of the dedup function whose frames it moves."""
        state = self.scheduler.tasks.get(key) if self.scheduler is not None else None
        if state is None or key in seen:
            return "other"
        seen.add(key)
        # In key order, so that a task fed by two stages is always counted to the same one.
        deps = sorted(state.dependencies, key=lambda dep: str(dep.key))
        for dep in deps:
            name = key_split(dep.key)
            if name in _STAGE_OF:
                return _STAGE_OF[name]
        for dep in deps:
            found = self._upstream_stage(dep.key, seen)
            if found != "other":
                return found
        return "other"


def counting(cluster: LocalCluster) -> TaskCounter:
    """A counter attached to a local cluster's scheduler (which runs in this process)."""
    counter = TaskCounter()
    counter.scheduler = cluster.scheduler
    cluster.scheduler.add_plugin(counter, name=f"task-counter-{id(counter)}")
    return counter


def detach(cluster: LocalCluster, counter: TaskCounter) -> None:
    cluster.scheduler.remove_plugin(name=f"task-counter-{id(counter)}")
