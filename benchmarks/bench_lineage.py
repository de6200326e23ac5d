"""What lineage costs on a corpus's own pairs: ``dedup.lineage.trace`` alone, timed.

    python benchmarks/bench_lineage.py                       # the simulator and bench_peers' corpus
    python benchmarks/bench_lineage.py --corpus reuters --repeat 3

The corpus is scanned once without lineage (its pairs and families), its documents are held in
memory, and ``trace`` runs on them ``--repeat`` times in this process on one core; the best CPU
time is printed with the cost per text and per pair. Holding the documents leaves reading them
out, so this is lineage's own work (the default scan adds reading them, bench_tiers.py). Run it
on an older checkout (``PYTHONPATH=/path/to/checkout``) to compare two versions on the same
pairs.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import attrs  # noqa: E402

import dedup  # noqa: E402
from dedup.lineage import trace  # noqa: E402

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import bench_tiers  # noqa: E402

CORPORA = {
    "reuters": bench_tiers.reuters_jsonl,
    "simulated": bench_tiers.simulated_jsonl,
    "peers": lambda: bench_tiers.peers_jsonl(10_000),
}


def measure(name: str, path: Path, repeat: int) -> None:
    config = dedup.ScanConfig()
    scanned = dedup.scan([path], attrs.evolve(config, lineage=False), jobs=1)
    documents = {doc.id: doc for doc in dedup.load([path], config.load)}
    best, edges = float("inf"), 0
    for _ in range(repeat):
        started = time.process_time()
        found = trace(scanned.pairs, scanned.families, documents.__getitem__,
                      config.lineage_config, config.align, 5, config.normalize)
        best = min(best, time.process_time() - started)
        edges = len(found.edges)
    texts = len({doc for pair in scanned.pairs for doc in (pair.a, pair.b)})
    print(f"{name}: {len(documents)} documents, {len(scanned.pairs)} pairs, "
          f"{texts} texts in a pair")
    print(f"   lineage {best:.2f} CPU s (best of {repeat}): {best / max(1, texts) * 1e3:.2f} ms "
          f"a text, {best / max(1, len(scanned.pairs)) * 1e3:.3f} ms a pair; {edges} edges")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", choices=tuple(CORPORA), action="append")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args(argv)
    for name in args.corpus or ["simulated", "peers"]:
        measure(name, CORPORA[name](), args.repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
