"""Which pytest markers a test gets from where it lives (registered in pyproject.toml).

``pytest -m "not slow"`` for a quick run, ``-m browser`` or ``-m dask`` for one group; the
default run (CI's) runs them all.
"""

from __future__ import annotations

from pathlib import Path

#: A test under one of these folders gets these markers.
BY_FOLDER = {
    "browser": frozenset({"browser", "slow"}),
    "dask": frozenset({"dask", "slow"}),
}
#: Single files that take seconds (faults injected into real processes, worker loss).
SLOW_FILES = frozenset({"test_index_faults.py", "test_worker_loss.py"})


def markers_for(path: Path) -> frozenset[str]:
    """The markers of the tests in file ``path``."""
    found: set[str] = set()
    for folder, markers in BY_FOLDER.items():
        if folder in path.parent.parts:
            found |= markers
    if path.name in SLOW_FILES:
        found.add("slow")
    return frozenset(found)
