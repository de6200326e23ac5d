"""Time the HTML report (``dedup scan --html``) on a corpus, apart from the scan itself.

    python benchmarks/bench_html.py benchmarks/out/reuters.jsonl [--stories] [--repeat 3]

Prints the scan's time once, then the fastest and slowest of ``--repeat`` renderings of the
page, its size, and how many pairs, passages and lineage groups it shows. Rendering aligns the
pairs it shows (at most 200) unless the scan did; that is most of its time.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import dedup
from dedup.report import scan_to_html
from dedup.report.html import MAX_PAIRS


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--stories", action="store_true",
                        help="scan with the story tier (slow on Reuters: millions of candidates)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    start = time.perf_counter()
    result = dedup.scan([args.corpus], dedup.ScanConfig(story=args.stories))
    scanned = time.perf_counter() - start
    times = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        page = scan_to_html(result)
        times.append(time.perf_counter() - start)
    shown = min(len(result.pairs), MAX_PAIRS)
    print(f"documents {len(result.documents)}, pairs {len(result.pairs)} ({shown} shown), "
          f"lineage edges {len(result.lineage.edges)}")
    print(f"scan {scanned:.2f} s; HTML {min(times):.2f}-{max(times):.2f} s "
          f"over {args.repeat} runs; page {len(page.encode()) / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
