"""dedup against the pipelines a user would write with datasketch and rensa: speed and quality.

    python benchmarks/bench_peers.py                     # 10k documents, median of 3 (~3 min)
    python benchmarks/bench_peers.py --docs 100000       # 100k (~10 min; corpus built once)
    python benchmarks/bench_peers.py --quick             # 2k documents, one run (smoke test)
    python benchmarks/bench_peers.py --profile           # where dedup.scan_documents spends time

Same machine, same corpus (benchmarks/corpus.py: simulated syndication with true families),
same shingles (word 5-grams), 128 permutations, one core: each run is a subprocess with
OMP/MKL/OpenBLAS/numba/rayon threads set to 1 and dedup's ``jobs=1`` (``--pin`` also pins it to
one CPU; "cpu s" at or below "wall s" shows it used one core). Timed: documents already in
memory -> pairs. Reading the JSONL file and scoring are not timed.

- datasketch: ``regex`` ``\\w+`` tokens of the lowercased text -> set of 5-gram strings ->
  ``MinHash.bulk`` -> ``MinHashLSH(threshold)`` (insertion session), then a query per document.
  Its candidate pairs are unverified; "+ verify" then keeps the pairs whose exact Jaccard of
  the 5-gram sets is >= the threshold (the sets of the candidates' documents are rebuilt).
- rensa: the same 5-gram sets -> ``RMinHash.from_token_sets`` -> ``RMinHashLSH.insert_many`` and
  ``query_all``. rensa needs bands dividing num_perm, so it gets the divisor that minimises
  datasketch's false positive + false negative areas at the threshold (32 x 4 at 0.5).
- dedup: ``dedup.scan_documents`` with ``ScanConfig()``: normalise, word 5-grams, MinHash, LSH
  at 0.3, exact verification (near-duplicate J >= 0.5, contained >= 0.6), families. The looser
  story tier (partial-reuse, same-story) and lineage, which the peers have no counterpart of,
  are off; ``--only dedup-stories`` adds a row with both on. Only copy relations are scored.

Peak memory is the child's VmHWM (the JSONL corpus and the interpreter included; "base" is the
resident size after reading the corpus). Quality against the simulator's truth: families are
the connected components of each pipeline's pairs; P/R/F1 are pairwise over same-family
document pairs (benchmarks/metrics.py ``pairwise_prf``); "pair prec." is the share of the
reported pairs whose documents are in the same true family.
"""

from __future__ import annotations

import argparse
import importlib.util
import inspect
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import corpus  # noqa: E402

NUM_PERM = 128
SEED = 1
NGRAM = 5
THREAD_ENV = {
    name: "1"
    for name in (
        "OMP_NUM_THREADS",
        "OPENBLAS_NUM_THREADS",
        "MKL_NUM_THREADS",
        "NUMEXPR_NUM_THREADS",
        "NUMBA_NUM_THREADS",
        "RAYON_NUM_THREADS",
        "POLARS_MAX_THREADS",
    )
}
CHILD_TIMEOUT = 3600
Pairs = set[tuple[int, int]]
DEDUP = "dedup.scan_documents"
Row = dict[str, Any]


# ================================================================ the peers' shingling


def five_gram_set(text: str) -> set[str]:
    """The peers' shingles: 5-grams of ``\\w+`` tokens of the lowercased text, space-joined."""
    import regex

    tokens = regex.findall(r"\w+", text.lower())
    if len(tokens) < NGRAM:
        return {" ".join(tokens)} if tokens else set()
    return {" ".join(tokens[i : i + NGRAM]) for i in range(len(tokens) - NGRAM + 1)}


def _jaccard(a: set[str], b: set[str]) -> float:
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def verify(pairs: Pairs, texts: Sequence[str], threshold: float) -> Pairs:
    """The user-side check: keep pairs whose exact 5-gram Jaccard is >= ``threshold``."""
    sets: dict[int, set[str]] = {}

    def shingles(i: int) -> set[str]:
        if i not in sets:
            sets[i] = five_gram_set(texts[i])
        return sets[i]

    return {(i, j) for i, j in pairs if _jaccard(shingles(i), shingles(j)) >= threshold}


def rensa_bands(threshold: float, num_perm: int = NUM_PERM) -> int:
    """Bands dividing ``num_perm`` that minimise the false positive + negative areas."""
    import numpy as np

    grid = np.linspace(0.0, 1.0, 2001)

    def error(bands: int) -> float:
        found = 1.0 - (1.0 - grid ** (num_perm // bands)) ** bands
        wrong = np.where(grid < threshold, found, 1.0 - found)
        return float(np.trapezoid(wrong, grid))

    return min((b for b in range(1, num_perm + 1) if num_perm % b == 0), key=error)


# ================================================================ child: the pipelines


def _peak_kib() -> int:
    """This process's peak resident set (VmHWM), KiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def _rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


@dataclass
class Checkpoint:
    """What a pipeline has at one point: seconds since the start, peak memory, pairs."""

    name: str
    seconds: float
    cpu: float
    peak_kib: int
    pairs: Pairs
    stages: dict[str, float] = field(default_factory=dict)


class _Clock:
    def __init__(self) -> None:
        self.start = self.last = time.perf_counter()
        self.cpu_start = time.process_time()
        self.stages: dict[str, float] = {}

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.stages[stage] = round(now - self.last, 3)
        self.last = now

    def checkpoint(self, name: str, pairs: Pairs) -> Checkpoint:
        return Checkpoint(
            name,
            time.perf_counter() - self.start,
            time.process_time() - self.cpu_start,
            _peak_kib(),
            pairs,
            dict(self.stages),
        )


@dataclass(frozen=True)
class PeerSettings:
    """The peers' LSH threshold and the Jaccard of the user-side verification."""

    lsh: float = 0.5
    verify: float = 0.5


def _with_verify(
    name: str, clock: _Clock, pairs: Pairs, texts: Sequence[str], settings: PeerSettings
) -> list[Checkpoint]:
    lsh_only = clock.checkpoint(f"{name} (LSH only)", pairs)
    verified = verify(pairs, texts, settings.verify)
    clock.lap("verify")
    return [lsh_only, clock.checkpoint(f"{name} + verify", verified)]


def run_datasketch(
    ids: Sequence[str], texts: Sequence[str], settings: PeerSettings
) -> list[Checkpoint]:
    from datasketch import MinHash, MinHashLSH

    clock = _Clock()
    batches = ([s.encode("utf-8") for s in five_gram_set(t)] for t in texts)
    sketches = MinHash.bulk(batches, num_perm=NUM_PERM, seed=SEED)
    clock.lap("shingle+sketch")
    index = MinHashLSH(threshold=settings.lsh, num_perm=NUM_PERM)
    with index.insertion_session() as session:
        for key, sketch in enumerate(sketches):
            session.insert(key, sketch, check_duplication=False)
    clock.lap("index")
    pairs = {
        (min(i, j), max(i, j)) for i, m in enumerate(sketches) for j in index.query(m) if i != j
    }
    clock.lap("query")
    return _with_verify("datasketch", clock, pairs, texts, settings)


def run_rensa(ids: Sequence[str], texts: Sequence[str], settings: PeerSettings) -> list[Checkpoint]:
    from rensa import RMinHash, RMinHashLSH

    clock = _Clock()
    sketches = RMinHash.from_token_sets((five_gram_set(t) for t in texts), NUM_PERM, SEED)
    clock.lap("shingle+sketch")
    index = RMinHashLSH(settings.lsh, NUM_PERM, rensa_bands(settings.lsh))
    index.insert_many(sketches)
    clock.lap("index")
    found = index.query_all(sketches)
    pairs = {(i, int(j)) for i, keys in enumerate(found) for j in keys if i < j}
    clock.lap("query")
    return _with_verify("rensa", clock, pairs, texts, settings)


COPY_RELATIONS = frozenset(["exact-duplicate", "near-duplicate", "contained"])


def copy_config(stories: bool = False) -> Any:
    """``ScanConfig()``, with the story tier and lineage (which the peers have no counterpart
    of) off unless ``stories`` (for the fields this dedup has)."""
    import attrs

    import dedup

    config = dedup.ScanConfig()
    fields = attrs.fields_dict(type(config))
    for tier in ("story", "lineage"):
        if not stories and tier in fields:
            config = attrs.evolve(config, **{tier: False})
    return config


def _scan(ids: Sequence[str], texts: Sequence[str], stories: bool) -> list[Checkpoint]:
    import dedup

    clock = _Clock()
    docs = [dedup.Document(id=i, text=t) for i, t in zip(ids, texts, strict=True)]
    result = dedup.scan_documents(docs, copy_config(stories), **_one_job())
    seconds, peak = time.perf_counter() - clock.start, _peak_kib()
    cpu = time.process_time() - clock.cpu_start
    where = {doc_id: n for n, doc_id in enumerate(ids)}
    pairs = {
        _ordered(where[p.a], where[p.b]) for p in result.pairs if str(p.relation) in COPY_RELATIONS
    }
    stages = {k: float(v) for k, v in result.stats.get("seconds", {}).items()}
    name = DEDUP + (" (+ story tier)" if stories else "")
    return [Checkpoint(name, seconds, cpu, peak, pairs, stages)]


def run_dedup(ids: Sequence[str], texts: Sequence[str], _: PeerSettings) -> list[Checkpoint]:
    """The copy scan: ``ScanConfig()`` without the story tier; copy pairs scored."""
    return _scan(ids, texts, stories=False)


def run_dedup_stories(
    ids: Sequence[str], texts: Sequence[str], _: PeerSettings
) -> list[Checkpoint]:
    """``ScanConfig()`` as it is (story tier included); its copy pairs scored."""
    return _scan(ids, texts, stories=True)


def _one_job() -> dict[str, int]:
    """``jobs=1`` if this dedup's scan_documents takes it (one core either way)."""
    import dedup

    return {"jobs": 1} if "jobs" in inspect.signature(dedup.scan_documents).parameters else {}


def _ordered(i: int, j: int) -> tuple[int, int]:
    return (i, j) if i < j else (j, i)


Pipeline = Callable[[Sequence[str], Sequence[str], PeerSettings], list[Checkpoint]]
PIPELINES: dict[str, Pipeline] = {
    "datasketch": run_datasketch,
    "rensa": run_rensa,
    "dedup": run_dedup,
    "dedup-stories": run_dedup_stories,
}
DEFAULT_PIPELINES = ("datasketch", "rensa", "dedup")


# ================================================================ child: sketching alone


def _dedup_normalised(texts: Sequence[str]) -> list[Any]:
    import dedup

    return [dedup.normalize(t) for t in texts]


def _dedup_shingled(texts: Sequence[str]) -> list[Any]:
    import dedup

    return [dedup.shingle(n) for n in _dedup_normalised(texts)]


def _sketch_dedup_text(texts: Sequence[str]) -> Callable[[], object]:
    import dedup

    return lambda: dedup.sketch_batch([dedup.shingle(dedup.normalize(t)) for t in texts])


def _sketch_dedup_batches(texts: Sequence[str]) -> Callable[[], object]:
    """What a scan does: normalised bytes, batched shingles and signatures (dedup.features)."""
    from dedup.features import featurize_all

    config = copy_config()
    return lambda: [batch.signatures for batch in featurize_all(texts, config, jobs=1)]


def _sketch_dedup_normalised(texts: Sequence[str]) -> Callable[[], object]:
    import dedup

    normalised = _dedup_normalised(texts)
    return lambda: dedup.sketch_batch([dedup.shingle(n) for n in normalised])


def _sketch_dedup_shingled(texts: Sequence[str]) -> Callable[[], object]:
    import dedup

    shingled = _dedup_shingled(texts)
    return lambda: dedup.sketch_batch(shingled)


def _shingle_peers(texts: Sequence[str]) -> Callable[[], object]:
    return lambda: sum(len(five_gram_set(t)) for t in texts)  # built and dropped, as in a sketch


def _sketch_datasketch_text(texts: Sequence[str]) -> Callable[[], object]:
    from datasketch import MinHash

    return lambda: MinHash.bulk(
        ([s.encode("utf-8") for s in five_gram_set(t)] for t in texts), num_perm=NUM_PERM, seed=SEED
    )


def _sketch_datasketch_shingled(texts: Sequence[str]) -> Callable[[], object]:
    from datasketch import MinHash

    encoded = [[s.encode("utf-8") for s in five_gram_set(t)] for t in texts]
    return lambda: MinHash.bulk(encoded, num_perm=NUM_PERM, seed=SEED)


def _sketch_rensa_text(texts: Sequence[str]) -> Callable[[], object]:
    from rensa import RMinHash

    return lambda: RMinHash.digest_matrix_from_token_sets(
        (list(five_gram_set(t)) for t in texts), NUM_PERM, SEED
    )


def _sketch_rensa_shingled(texts: Sequence[str]) -> Callable[[], object]:
    from rensa import RMinHash

    shingled = [list(five_gram_set(t)) for t in texts]
    return lambda: RMinHash.digest_matrix_from_token_sets(shingled, NUM_PERM, SEED)


# name -> (label, needs rensa, setup returning the timed call)
SKETCHES: dict[str, tuple[str, bool, Callable[[Sequence[str]], Callable[[], object]]]] = {
    "peers-shingle": ("peers' 5-gram sets alone (regex, no sketch)", False, _shingle_peers),
    "datasketch-text": (
        "datasketch: text -> 5-grams -> MinHash.bulk",
        False,
        _sketch_datasketch_text,
    ),
    "datasketch-bulk": (
        "datasketch: MinHash.bulk on built 5-grams",
        False,
        _sketch_datasketch_shingled,
    ),
    "rensa-text": ("rensa: text -> 5-grams -> digest matrix", True, _sketch_rensa_text),
    "rensa-bulk": ("rensa: digest matrix on built 5-grams", True, _sketch_rensa_shingled),
    "dedup-text": ("dedup: normalize + shingle + sketch_batch", False, _sketch_dedup_text),
    "dedup-batches": (
        "dedup: text -> signatures as a scan does it",
        False,
        _sketch_dedup_batches,
    ),
    "dedup-normalised": (
        "dedup: shingle + sketch_batch (normalised)",
        False,
        _sketch_dedup_normalised,
    ),
    "dedup-shingled": ("dedup: sketch_batch (shingle hashes)", False, _sketch_dedup_shingled),
}


# ================================================================ child: scoring and entry


def components(size: int, pairs: Iterable[tuple[int, int]]) -> list[int]:
    """A component label per document (union-find over the pairs)."""
    parent = list(range(size))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in pairs:
        parent[root(i)] = root(j)
    return [root(i) for i in range(size)]


def score(pairs: Pairs, ids: Sequence[str], truth: dict[str, str]) -> Row:
    """Pairwise P/R/F1 of the pairs' connected components, and the pairs' own precision."""
    import metrics

    labels = components(len(ids), pairs)
    predicted = {doc_id: labels[n] for n, doc_id in enumerate(ids)}
    prf = metrics.pairwise_prf(predicted, {doc_id: truth[doc_id] for doc_id in ids})
    same = sum(truth[ids[i]] == truth[ids[j]] for i, j in pairs)
    return {
        "pairs": len(pairs),
        "pair_precision": same / len(pairs) if pairs else 1.0,
        "precision": prf.precision,
        "recall": prf.recall,
        "f1": prf.f1,
        "true_pairs": prf.tp + prf.fn,
    }


def _pin_one_cpu() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def child(spec: Row) -> Row:
    """Run one pipeline or sketch path (single-threaded); its figures."""
    if spec.get("pin"):
        _pin_one_cpu()
    files = corpus.paths(spec["docs"])
    ids, texts = corpus.read_documents(files.jsonl)
    base = _rss_kib()
    if spec["kind"] == "sketch":
        call = SKETCHES[spec["name"]][2](texts)
        started, cpu = time.perf_counter(), time.process_time()
        call()
        return {"seconds": time.perf_counter() - started, "cpu": time.process_time() - cpu}
    settings = PeerSettings(spec["lsh"], spec["verify"])
    checkpoints = PIPELINES[spec["name"]](ids, texts, settings)
    truth = corpus.read_truth(files.truth)
    return {
        "base_kib": base,
        "rows": [
            {
                "name": c.name,
                "seconds": c.seconds,
                "cpu": c.cpu,
                "peak_kib": c.peak_kib,
                "stages": c.stages,
                **score(c.pairs, ids, truth),
            }
            for c in checkpoints
        ],
    }


def profile_dedup(docs: int, top: int) -> None:
    """cProfile of dedup.scan_documents on one core: stage seconds and the top functions."""
    import cProfile
    import pstats

    import dedup

    ids, texts = corpus.read_documents(corpus.paths(docs).jsonl)
    documents = [dedup.Document(id=i, text=t) for i, t in zip(ids, texts, strict=True)]
    profiler = cProfile.Profile()
    started = time.perf_counter()
    result = profiler.runcall(dedup.scan_documents, documents, copy_config(), **_one_job())
    print(
        f"dedup.scan_documents under cProfile, {docs:,} documents, "
        f"{time.perf_counter() - started:.1f} s; stages: {result.stats.get('seconds')}"
    )
    stats = pstats.Stats(profiler)
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)


# ================================================================ parent: running children


def run_child(spec: Row) -> Row:
    """One child process (single-threaded environment); its JSON answer."""
    env = os.environ | THREAD_ENV
    command = [sys.executable, str(Path(__file__).resolve()), "--child", json.dumps(spec)]
    done = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=CHILD_TIMEOUT, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"{spec['name']} failed:\n{done.stderr[-3000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _median_rows(runs: Sequence[Row]) -> list[Row]:
    """Per checkpoint: median seconds and peak over the runs; quality from the first run."""
    rows = []
    for n, first in enumerate(runs[0]["rows"]):
        row = dict(first)
        row["seconds"] = statistics.median(r["rows"][n]["seconds"] for r in runs)
        row["cpu"] = statistics.median(r["rows"][n]["cpu"] for r in runs)
        row["peak_kib"] = statistics.median(r["rows"][n]["peak_kib"] for r in runs)
        row["base_kib"] = statistics.median(r["base_kib"] for r in runs)
        row["stages"] = {
            k: statistics.median(r["rows"][n]["stages"].get(k, 0.0) for r in runs)
            for k in first["stages"]
        }
        rows.append(row)
    return rows


def end_to_end(
    files: corpus.CorpusFiles, names: Sequence[str], args: argparse.Namespace
) -> list[Row]:
    rows: list[Row] = []
    for name in names:
        spec = {
            "kind": "pipeline",
            "name": name,
            "docs": files.documents,
            "lsh": args.peer_lsh,
            "verify": args.verify_jaccard,
            "pin": args.pin,
        }
        runs = []
        for attempt in range(args.repeat):
            print(
                f"  {name}, {files.documents:,} documents, run {attempt + 1}/{args.repeat}",
                file=sys.stderr,
                flush=True,
            )
            runs.append(run_child(spec))
        rows += _median_rows(runs)
    for row in rows:
        row.update(docs=files.documents, text_bytes=files.text_bytes)
    return rows


def sketch_only(files: corpus.CorpusFiles, has_rensa: bool, repeat: int, pin: bool) -> list[Row]:
    rows = []
    for name, (label, needs_rensa, _setup) in SKETCHES.items():
        if needs_rensa and not has_rensa:
            continue
        print(f"  sketch: {label}", file=sys.stderr, flush=True)
        spec = {"kind": "sketch", "name": name, "docs": files.documents, "pin": pin}
        runs = [run_child(spec) for _ in range(repeat)]
        rows.append(
            {
                "name": label,
                "docs": files.documents,
                "text_bytes": files.text_bytes,
                "seconds": statistics.median(r["seconds"] for r in runs),
                "cpu": statistics.median(r["cpu"] for r in runs),
            }
        )
    return rows


# ================================================================ parent: tables


def _table(header: Sequence[str], lines: Sequence[Sequence[str]]) -> str:
    widths = [max(len(h), *(len(line[i]) for line in lines)) for i, h in enumerate(header)]

    def fmt(cells: Sequence[str]) -> str:
        return "  ".join(
            c.rjust(w) if i else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        )

    return "\n".join([fmt(header), fmt(["-" * w for w in widths]), *map(fmt, lines)])


def _dedup_seconds(rows: Sequence[Row], docs: int) -> float | None:
    found = [r["seconds"] for r in rows if r["name"] == DEDUP and r["docs"] == docs]
    return found[0] if found else None


def _rates(row: Row) -> list[str]:
    """Wall and CPU seconds, documents per second and MB of text per second (wall) of a row."""
    seconds = row["seconds"]
    return [
        f"{seconds:.2f}",
        f"{row['cpu']:.2f}",
        f"{row['docs'] / seconds:,.0f}",
        f"{row['text_bytes'] / 1e6 / seconds:.2f}",
    ]


def _quality(row: Row) -> list[str]:
    return [
        f"{row['pairs']:,}",
        f"{row['pair_precision']:.3f}",
        f"{row['precision']:.3f}",
        f"{row['recall']:.3f}",
        f"{row['f1']:.3f}",
    ]


def print_end_to_end(rows: Sequence[Row]) -> None:
    header = [
        "pipeline",
        "docs",
        "wall s",
        "cpu s",
        "docs/s",
        "MB/s",
        "peak MiB",
        "base MiB",
        "pairs",
        "pair prec.",
        "fam. P",
        "fam. R",
        "fam. F1",
        "dedup/this",
    ]
    lines = []
    for r in rows:
        mine = _dedup_seconds(rows, r["docs"])
        memory = [f"{r['peak_kib'] / 1024:.0f}", f"{r['base_kib'] / 1024:.0f}"]
        ratio = f"{mine / r['seconds']:.2f}" if mine else "-"
        lines.append([r["name"], f"{r['docs']:,}", *_rates(r), *memory, *_quality(r), ratio])
    print(_table(header, lines))
    print("\nstages (median seconds)")
    for r in rows:
        stages = ", ".join(f"{k} {v:.2f}" for k, v in r["stages"].items())
        print(f"  {r['name']} ({r['docs']:,}): {stages}")


def print_sketch(rows: Sequence[Row]) -> None:
    header = ["signatures only (one core)", "docs", "wall s", "cpu s", "docs/s", "MB/s", ">= 30"]
    lines = []
    for r in rows:
        fast = r["text_bytes"] / 1e6 / r["seconds"] >= 30
        lines.append([r["name"], f"{r['docs']:,}", *_rates(r), "yes" if fast else "no"])
    print(_table(header, lines))


def _versions() -> str:
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for package in ("dedup", "datasketch", "rensa", "numpy"):
        try:
            found.append(f"{package} {version(package)}")
        except PackageNotFoundError:
            found.append(f"{package} missing")
    return ", ".join(found)


def git_state() -> str:
    """The checkout's commit, and whether files under dedup/ differ from it."""

    def git(*argv: str) -> str:
        done = subprocess.run(
            ["git", "-C", str(corpus.REPO), *argv], capture_output=True, text=True, check=False
        )
        return done.stdout.strip() if done.returncode == 0 else "?"

    dirty = git("status", "--porcelain", "--", "dedup")
    return git("rev-parse", "--short", "HEAD") + (" + uncommitted dedup/ changes" if dirty else "")


def _header(sizes: Sequence[corpus.CorpusFiles], args: argparse.Namespace) -> None:
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"checkout {git_state()}")
    print(
        f"python {sys.version.split()[0]}; {_versions()}; {os.cpu_count()} CPUs, one used per "
        f"run; load average before the run {load}; median of {args.repeat}"
    )
    for files in sizes:
        print(
            f"corpus {files.jsonl.name}: {files.documents:,} documents, "
            f"{files.text_bytes / 1e6:.1f} MB of text"
        )
    print(
        f"peers: LSH threshold {args.peer_lsh} (rensa: {rensa_bands(args.peer_lsh)} bands), "
        f"verification J >= {args.verify_jaccard}; "
        f"dedup: ScanConfig() copy scan; 5-grams, {NUM_PERM} permutations, seed {SEED}\n"
    )


# ================================================================ command line


def _unit(text: str) -> float:
    value = float(text)
    if not 0.0 < value <= 1.0:
        raise argparse.ArgumentTypeError(f"must lie in (0, 1], not {text}")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--docs",
        type=int,
        nargs="+",
        default=[corpus.BLOCK],
        help="corpus sizes (default 10000; e.g. --docs 10000 100000)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (median)")
    parser.add_argument("--quick", action="store_true", help="2,000 documents, one run")
    parser.add_argument(
        "--peer-lsh",
        type=_unit,
        default=0.5,
        help="the peers' LSH threshold (default 0.5; dedup's own LSH is tuned at 0.3)",
    )
    parser.add_argument(
        "--verify-jaccard",
        type=_unit,
        default=0.5,
        help="exact Jaccard the peers' verification keeps (default 0.5, dedup's near-duplicate)",
    )
    parser.add_argument("--only", nargs="+", choices=sorted(PIPELINES), help="these pipelines")
    parser.add_argument(
        "--pin", action="store_true", help="pin each run to one CPU (hurts if others run there)"
    )
    parser.add_argument("--no-sketch", action="store_true", help="skip the signatures-only table")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="profile dedup.scan_documents (cProfile) instead of benchmarking",
    )
    parser.add_argument("--top", type=int, default=25, help="functions listed by --profile")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the figures here")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    return parser


def _pipelines(args: argparse.Namespace, has_rensa: bool) -> list[str]:
    names = list(args.only or DEFAULT_PIPELINES)
    if "rensa" in names and not has_rensa:
        print(
            "rensa is not installed (pip install rensa, or pip install -e '.[bench]'): "
            "its rows are skipped",
            file=sys.stderr,
        )
        names.remove("rensa")
    return names


def _corpora(sizes: Sequence[int]) -> list[corpus.CorpusFiles] | None:
    try:
        return [corpus.ensure(n) for n in sizes]
    except (corpus.CorpusMissing, ValueError) as error:
        print(f"bench_peers: {error}", file=sys.stderr)
        return None


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.child:
        print(json.dumps(child(json.loads(args.child))))
        return 0
    if args.quick:
        args.docs, args.repeat = [2000], 1
    if importlib.util.find_spec("datasketch") is None:
        print(
            "bench_peers: datasketch is not installed (pip install -e '.[bench]')", file=sys.stderr
        )
        return 1
    files = _corpora(sorted(set(args.docs)))
    if files is None:
        return 1
    if args.profile:
        profile_dedup(files[0].documents, args.top)
        return 0
    return _benchmark(files, args)


def _benchmark(files: Sequence[corpus.CorpusFiles], args: argparse.Namespace) -> int:
    has_rensa = importlib.util.find_spec("rensa") is not None
    names = _pipelines(args, has_rensa)
    _header(files, args)
    try:
        rows = [row for f in files for row in end_to_end(f, names, args)]
        print_end_to_end(rows)
        sketch_rows = (
            [] if args.no_sketch else sketch_only(files[0], has_rensa, args.repeat, args.pin)
        )
    except (RuntimeError, subprocess.TimeoutExpired) as error:
        print(f"bench_peers: {error}", file=sys.stderr)
        return 1
    if sketch_rows:
        print()
        print_sketch(sketch_rows)
    if args.json:
        args.json.write_text(
            json.dumps({"end_to_end": rows, "sketch": sketch_rows}, indent=2), encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
