"""Scan Reuters-21578 (as JSONL, see reuters_to_jsonl.py) and check the verbatim re-sends.

Every story whose body repeats verbatim must land in a family with all its twins. Prints the
time, peak memory, family sizes and the largest families' titles for a person to check.

    python benchmarks/reuters_scan.py benchmarks/out/reuters.jsonl
"""

from __future__ import annotations

import argparse
import collections
import json
import resource
import sys
import time
from pathlib import Path

import dedup


def verbatim_groups(path: Path) -> list[list[str]]:
    """Ids of stories sharing a body verbatim, one list per repeated body."""
    by_body: dict[str, list[str]] = collections.defaultdict(list)
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            if row.get("has_body") == "yes":
                by_body[row["text"]].append(str(row["id"]))
    return [ids for ids in by_body.values() if len(ids) > 1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("jsonl", type=Path)
    args = parser.parse_args()
    started = time.perf_counter()
    result = dedup.scan([args.jsonl])
    seconds = time.perf_counter() - started
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    family_of = {m: f.id for f in result.families for m in f.members}
    groups = verbatim_groups(args.jsonl)
    stories = sum(len(g) for g in groups)
    together = sum(len(g) for g in groups if len({family_of.get(i) for i in g}) == 1)
    sizes = collections.Counter(len(f.members) for f in result.families if len(f.members) > 1)
    relations = collections.Counter(str(p.relation) for p in result.pairs)
    titles = {d.id: d.metadata.get("title", "") for d in result.documents}
    print(f"documents read: {len(result.documents)}, skipped: {len(result.skipped)}")
    print(f"seconds: {seconds:.1f}  peak memory: {peak_mib:.0f} MiB  stages: {result.stats}")
    print(f"verbatim re-sends: {stories} stories in {len(groups)} bodies; "
          f"with all their twins: {together} (recall {together / max(stories, 1):.3f})")
    print(f"pairs by relation: {dict(relations)}")
    print(f"families with copies by size: {dict(sorted(sizes.items()))}")
    print("largest families:")
    for family in result.families[:10]:
        sample = [titles[m][:60] for m in family.members[:3]]
        print(f"  {family.id} ({len(family.members)}): {sample}")
    return 0 if together == stories else 1


if __name__ == "__main__":
    sys.exit(main())
