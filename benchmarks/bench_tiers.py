"""What the default scan (all tiers, lineage included) costs beside the copy scan.

    python benchmarks/bench_tiers.py                 # Reuters-21578, the simulator, bench_peers' corpus
    python benchmarks/bench_tiers.py --corpus reuters --repeat 3
    python benchmarks/bench_tiers.py --sizes 5000 10000 20000   # growth of bench_peers' corpus

Each run is ``dedup.scan([corpus.jsonl], config)`` in a fresh subprocess on one core (``jobs=1``,
numeric libraries held to one thread), as ``dedup scan corpus.jsonl -j 1`` runs it: the copy scan
(``--no-stories --no-lineage``), the default scan, and the default scan without lineage. Printed
per corpus: wall and CPU seconds (median of ``--repeat``), the child's peak resident memory, and
the ratios of the default scan to the copy scan (the tiers issue asks for at most 3x time and 2x
memory). The corpora are written as JSONL under benchmarks/out/ (never committed); Reuters and
the simulator need ../shared/data (or ``DEDUP_DATA``).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
DATA = Path(os.environ.get("DEDUP_DATA", HERE.parent.parent / "shared" / "data"))
THREADS = {name: "1" for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")}
CONFIGS = {
    "copy": {"story": False, "lineage": False},
    "default": {},
    "no lineage": {"lineage": False},
}
_CHILD = """
import json, resource, sys, time
import attrs, dedup
config = attrs.evolve(dedup.ScanConfig(), **json.loads(sys.argv[2]))
wall, cpu = time.perf_counter(), time.process_time()
result = dedup.scan([sys.argv[1]], config, jobs=1)
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
kinds = {}
for pair in result.pairs:
    kinds[str(pair.relation)] = kinds.get(str(pair.relation), 0) + 1
print(json.dumps({"wall": wall, "cpu": cpu, "peak_mib": peak, "documents": len(result.documents),
                  "pairs": kinds, "stages": dict(result.stats["seconds"])}))
"""


def reuters_jsonl() -> Path:
    """Reuters-21578 as JSONL (benchmarks/reuters_to_jsonl.py), written once."""
    path = OUT / "reuters.jsonl"
    if not path.exists():
        OUT.mkdir(exist_ok=True)
        subprocess.run([sys.executable, str(HERE / "reuters_to_jsonl.py"),
                        str(DATA / "reuters21578"), "-o", str(path)], check=True)
    return path


def simulated_jsonl() -> Path:
    """quality.py's simulated syndication corpus (strength 0.5) as JSONL, written once."""
    path = OUT / "simulated-0.5.jsonl"
    if not path.exists():
        sys.path.insert(0, str(HERE))
        import quality

        docs, _ = quality._simulated_corpus(0.5)
        OUT.mkdir(exist_ok=True)
        with path.open("w", encoding="utf-8") as out:
            for doc in docs:
                out.write(json.dumps({"id": doc.id, "text": doc.text}) + "\n")
    return path


def peers_jsonl(docs: int) -> Path:
    """bench_peers' corpus of ``docs`` documents (benchmarks/corpus.py), written once."""
    sys.path.insert(0, str(HERE))
    import corpus

    return corpus.ensure(docs, quiet=True).jsonl


def run(path: Path, config: dict[str, bool]) -> dict[str, object]:
    env = {**os.environ, **THREADS}
    done = subprocess.run([sys.executable, "-c", _CHILD, str(path), json.dumps(config)],
                          capture_output=True, text=True, env=env, check=True)
    figures: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def measure(name: str, path: Path, repeat: int) -> dict[str, dict[str, object]]:
    """Each configuration ``repeat`` times, interleaved (so load on the machine hits all alike);
    the median run of each by wall time."""
    runs: dict[str, list[dict[str, object]]] = {label: [] for label in CONFIGS}
    for _ in range(repeat):
        for label, config in CONFIGS.items():
            runs[label].append(run(path, config))
    chosen = {}
    for label, found in runs.items():
        ordered = sorted(found, key=lambda r: float(r["wall"]))  # type: ignore[arg-type]
        chosen[label] = ordered[len(ordered) // 2]
    report(name, chosen)
    return chosen


def report(name: str, chosen: dict[str, dict[str, object]]) -> None:
    copy = chosen["copy"]
    print(f"\n== {name}: {copy['documents']} documents")
    print(f"   {'scan':<12} {'wall s':>8} {'cpu s':>8} {'peak MiB':>9}   x time  x memory")
    for label, figures in chosen.items():
        time_ratio = float(figures["wall"]) / float(copy["wall"])  # type: ignore[arg-type]
        memory_ratio = float(figures["peak_mib"]) / float(copy["peak_mib"])  # type: ignore[arg-type]
        print(f"   {label:<12} {figures['wall']:>8.2f} {figures['cpu']:>8.2f} "
              f"{figures['peak_mib']:>9.0f}   {time_ratio:>5.2f}x  {memory_ratio:>6.2f}x")
    default = chosen["default"]
    print(f"   default stages (s): {default['stages']}")
    print(f"   default pairs: {default['pairs']}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", choices=("reuters", "simulated", "peers"), action="append")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--peers-docs", type=int, default=10_000)
    parser.add_argument("--sizes", type=int, nargs="*", default=[],
                        help="also the default and copy scans of bench_peers' corpus at each size")
    args = parser.parse_args(argv)
    chosen = args.corpus or ["reuters", "simulated", "peers"]
    makers = {"reuters": reuters_jsonl, "simulated": simulated_jsonl,
              "peers": lambda: peers_jsonl(args.peers_docs)}
    for name in chosen:
        measure(name, makers[name](), args.repeat)
    for size in args.sizes:
        measure(f"peers at {size}", peers_jsonl(size), args.repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
