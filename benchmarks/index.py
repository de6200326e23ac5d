"""The persistent index at scale: add N simulated documents, then query Q of them.

    python benchmarks/index.py                              # 100,000 documents, 1,000 queries
    python benchmarks/index.py --docs 10000 --queries 200   # a quick run
    python benchmarks/index.py --out /work/main/benchmarks/out   # reuse a corpus built there
    python benchmarks/index.py --jsonl benchmarks/out/reuters.jsonl --queries 200 --only dedup

Run it under the benchmark lock on a shared machine (``flock /tmp/dedup-bench.lock python ...``).
Each engine runs in its own subprocess (one core: thread pools set to 1, dedup ``jobs=1``), so
its peak resident memory (VmHWM) is its own; the corpus is streamed from the JSONL file of
benchmarks/corpus.py, never held whole.

- dedup: ``Index.add_paths(sim-N.jsonl)`` into a new file (normalise, shingle, sketch, store
  text, shingles, bands and samples; one transaction per 256 documents), then ``Index.query``
  for every (N/Q)-th document: the full query (copies verified on stored shingles, then
  rewrite, partial-reuse and same-story by the story tier's figures and rule; ``top=10``) and
  the copy-only query
  (``ScanConfig(story=False)``). A queried document keeps its id, so it is not its own match:
  the answers are its copies and relatives, as for a new article of the same family.
- datasketch: ``MinHash.bulk`` of the 5-gram string sets (benchmarks/bench_peers.py) inserted
  into ``MinHashLSH(threshold=0.3, num_perm=128)`` in memory (the bands dedup uses), then
  ``lsh.query`` of the same documents. Its answers are unverified candidate keys: no scores, no
  relation, no text kept, and nothing survives the process.

Latencies are per query, wall clock; "adds/s" counts the whole add (reading, sketching, storing).
``--reuse-db`` queries the index a previous run left (benchmarks/out/index-N.dedup) without
adding again: for timing queries after a change to the query path (no adds/s then).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import corpus  # noqa: E402
from bench_peers import NUM_PERM, SEED, THREAD_ENV, _peak_kib, five_gram_set  # noqa: E402

Row = dict[str, Any]
LSH_THRESHOLD = 0.3


def _documents(path: Path) -> Iterator[tuple[str, str]]:
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            yield row["id"], row["text"]


def _queries(path: Path, every: int, count: int) -> list[tuple[str, str]]:
    return list(itertools.islice(itertools.islice(_documents(path), 0, None, every), count))


def _latency(times: Sequence[float]) -> Row:
    ordered = sorted(times)
    return {
        "queries": len(ordered),
        "queries_per_s": round(len(ordered) / sum(ordered), 1),
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p99_ms": round(ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))] * 1000, 2),
    }


def run_dedup(jsonl: Path, db: Path, every: int, count: int, reuse: bool = False) -> Row:
    import dedup

    row: Row = {"engine": "dedup Index (SQLite)"}
    if reuse:
        with dedup.Index.open(db, create=False) as index:
            row |= {"documents": index.stats().documents, "add_s": "-", "adds_per_s": "-"}
    else:
        row |= _add(jsonl, db)
    queries = [dedup.Document(doc_id, text) for doc_id, text in _queries(jsonl, every, count)]
    with dedup.Index.open(db, create=False) as index:
        for name, view in (("full", index),
                           ("copies", index.using(dedup.ScanConfig(story=False)))):
            times, found = [], 0
            for document in queries:
                start = time.perf_counter()
                found += len(view.query(document))
                times.append(time.perf_counter() - start)
            row[name] = _latency(times) | {"matches_per_query": round(found / len(queries), 2)}
    row["file_mib"] = round(db.stat().st_size / 2**20, 1)
    row["peak_mib"] = round(_peak_kib() / 1024, 1)
    return row


def _add(jsonl: Path, db: Path) -> Row:
    """Add the corpus to a new index file at ``db``: documents, seconds, adds/s."""
    import dedup

    for leftover in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        leftover.unlink(missing_ok=True)
    started = time.perf_counter()
    with dedup.Index.open(db) as index:
        added = len(index.add_paths(jsonl).added)
    seconds = time.perf_counter() - started
    return {"documents": added, "add_s": round(seconds, 1),
            "adds_per_s": round(added / seconds, 1)}


def run_datasketch(jsonl: Path, every: int, count: int) -> Row:
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    started = time.perf_counter()
    added = 0
    documents = _documents(jsonl)
    while chunk := list(itertools.islice(documents, 1000)):
        sets = ([s.encode("utf-8") for s in five_gram_set(text)] for _, text in chunk)
        with lsh.insertion_session() as session:
            for (doc_id, _), sketch in zip(chunk, MinHash.bulk(sets, num_perm=NUM_PERM,
                                                               seed=SEED), strict=True):
                session.insert(doc_id, sketch, check_duplication=False)
        added += len(chunk)
    seconds = time.perf_counter() - started
    queries = _queries(jsonl, every, count)
    sets = ([s.encode("utf-8") for s in five_gram_set(text)] for _, text in queries)
    sketches = MinHash.bulk(sets, num_perm=NUM_PERM, seed=SEED)
    times, found = [], 0
    for (doc_id, _), sketch in zip(queries, sketches, strict=True):
        start = time.perf_counter()
        found += sum(1 for key in lsh.query(sketch) if key != doc_id)
        times.append(time.perf_counter() - start)
    return {"engine": "datasketch MinHashLSH (memory)", "documents": added,
            "add_s": round(seconds, 1), "adds_per_s": round(added / seconds, 1),
            "lsh_only": _latency(times) | {"candidates_per_query": round(found / len(queries), 2)},
            "peak_mib": round(_peak_kib() / 1024, 1)}


def child(spec: Row) -> Row:
    jsonl, every, count = Path(spec["jsonl"]), spec["every"], spec["queries"]
    if spec["engine"] == "dedup":
        return run_dedup(jsonl, Path(spec["db"]), every, count, spec.get("reuse", False))
    return run_datasketch(jsonl, every, count)


def run_child(spec: Row) -> Row:
    env = os.environ | THREAD_ENV
    done = subprocess.run(
        [sys.executable, __file__, "--child", json.dumps(spec)],
        env=env, capture_output=True, text=True, check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"{spec['engine']} failed:\n{done.stderr}")
    return dict(json.loads(done.stdout.splitlines()[-1]))


def report(rows: Sequence[Row]) -> str:
    lines = [f"{'engine':<32} {'docs':>8} {'adds/s':>8} {'add s':>7} {'query':>8} "
             f"{'q/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'found/q':>8} {'file MiB':>9} "
             f"{'peak MiB':>9}"]
    for row in rows:
        for kind in ("full", "copies", "lsh_only"):
            if kind not in row:
                continue
            q = row[kind]
            found = q.get("matches_per_query", q.get("candidates_per_query"))
            lines.append(
                f"{row['engine']:<32} {row['documents']:>8} {row['adds_per_s']:>8} "
                f"{row['add_s']:>7} {kind:>8} {q['queries_per_s']:>7} {q['p50_ms']:>7} "
                f"{q['p99_ms']:>7} {found:>8} {row.get('file_mib', '-'):>9} "
                f"{row['peak_mib']:>9}"
            )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=1_000)
    parser.add_argument("--out", type=Path, default=corpus.OUT,
                        help="folder of the simulated corpora (built there when missing)")
    parser.add_argument("--only", choices=("dedup", "datasketch"), default=None)
    parser.add_argument("--reuse-db", action="store_true",
                        help="query the index file of an earlier run instead of adding again")
    parser.add_argument("--jsonl", type=Path, default=None,
                        help="index this JSONL corpus (id, text) instead of a simulated one")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(json.loads(args.child))))
        return 0
    if args.jsonl is not None:
        with args.jsonl.open(encoding="utf-8") as lines:
            args.docs = sum(1 for _ in lines)
        jsonl, name = args.jsonl, args.jsonl.stem
    else:
        jsonl, name = corpus.ensure(args.docs, args.out).jsonl, str(args.docs)
    every = max(1, args.docs // args.queries)
    db = corpus.OUT / f"index-{name}.dedup"
    db.parent.mkdir(parents=True, exist_ok=True)
    if args.reuse_db and not db.exists():
        raise SystemExit(f"--reuse-db: no index at {db}; run once without it")
    rows = []
    for engine in ("dedup", "datasketch"):
        if args.only in (None, engine):
            rows.append(run_child({"engine": engine, "jsonl": str(jsonl), "db": str(db),
                                   "every": every, "queries": args.queries,
                                   "reuse": args.reuse_db}))
    print(report(rows))
    (corpus.OUT / f"index-{name}.json").write_text(json.dumps(rows, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
