"""Print a pip constraints file pinning every dependency of pyproject.toml to its lower bound.

``pip install -c <(python .ci/lowest_constraints.py) '.[test,dask,parquet]'`` then installs the
oldest versions the project declares it supports, so CI proves the bounds (a bound that is too
low fails there, not on a user's machine). Extras' own extras (``dask[dataframe]``) are kept off
the pin: a constraint names a distribution only.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

_REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?\s*(.*)$")


def lower_bounds(pyproject: dict[str, object]) -> dict[str, str]:
    """Each distribution named with a ``>=`` bound, mapped to that bound (the highest if twice)."""
    project = pyproject["project"]
    assert isinstance(project, dict)
    requirements = list(project.get("dependencies", []))
    for group in project.get("optional-dependencies", {}).values():
        requirements.extend(group)
    bounds: dict[str, str] = {}
    for requirement in requirements:
        match = _REQUIREMENT.match(requirement.split(";")[0])
        if match is None:
            continue
        name, spec = match.group(1).lower().replace("_", "-"), match.group(2)
        found = re.search(r">=\s*([0-9][^,\s]*)", spec)
        if found is None or name == "dedup-lineage":
            continue
        version = found.group(1)
        if name not in bounds or _key(version) > _key(bounds[name]):
            bounds[name] = version
    return bounds


def _key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", version))


def main() -> int:
    path = Path(sys.argv[1] if len(sys.argv) > 1 else "pyproject.toml")
    bounds = lower_bounds(tomllib.loads(path.read_text(encoding="utf-8")))
    for name, version in sorted(bounds.items()):
        print(f"{name}=={version}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
