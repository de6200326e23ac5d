"""Simulated news corpora of any size, with their true families, for the speed benchmarks.

    python benchmarks/corpus.py --docs 10000        # writes benchmarks/out/sim-10000.*

A corpus of N documents is made of blocks of at most 10,000 documents. Block ``i`` is one run
of ``benchmarks/simulate.py`` (Reuters-21578 stories, edit strength 0.5) with seed
``i % 10 + 1``: about 11 % of its stories are syndicated (wire + 2-6 outlets + aggregators),
the rest are distractors; distractors beyond the block's size are dropped (the last ones), so
every family stays whole.

Reuters-21578 has only ~4,900 usable distinct stories, enough for one block. So that blocks do
not copy each other, block ``i > 0`` is put through a seeded *letter substitution*: one
permutation of a-z (upper case follows lower case) and one of 0-9 per block, applied to every
character outside the simulator's own markup (lower-case HTML tags, URLs, Markdown link
targets, entities). Word boundaries, word lengths, word frequencies, case and markup are
unchanged, and tokens map one to one, so every Jaccard inside a block is the same as in the
plain block while words (hence 5-grams) of different blocks differ. Block 0 is plain English:
the 10k corpus is exactly block 0, and the 100k and 1M corpora contain it. The true family of a
document is ``"<block>/<story id>"``.

Files (written once, reused while their parameters match): ``sim-N.jsonl`` (one
``{"id", "text"}`` object a line, input for ``dedup scan``), ``sim-N.truth.json`` (doc id ->
family) and ``sim-N.meta.json`` (parameters and size).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import re
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
OUT = HERE / "out"
REUTERS = REPO.parent / "shared" / "data" / "reuters21578"
BLOCK = 10_000
SEEDS = 10
STRENGTH = 0.5
STORY_SHARE = 0.11  # syndicated stories per document of a block (~6.4 documents each)
DISTRACTOR_SHARE = 0.34  # distractors per document (a few spare, dropped to fit)
VERSION = 1  # bump when the recipe changes: cached corpora are rebuilt

# The simulator's markup, left as it is by the letter substitution.
_PROTECTED = re.compile(
    r"(</?[a-z][a-z0-9]*(?:\s[^>]*)?>|(?:https?://|www\.)[^\s)\]\"<>]*|\]\([^)]*\)|&#?\w+;)"
)


class CorpusMissing(Exception):  # noqa: N818 - reads as "corpus missing"
    """The Reuters-21578 files the simulator needs are not there."""


@dataclass(frozen=True)
class CorpusFiles:
    """Where a corpus lives, and its size."""

    jsonl: Path
    truth: Path
    documents: int
    text_bytes: int


@dataclass(frozen=True)
class _Block:
    ids: list[str]
    texts: list[str]
    families: list[str]


# ---------------------------------------------------------------- building blocks


def block_sizes(n_docs: int) -> list[int]:
    """Sizes of the blocks of an ``n_docs`` corpus: full blocks, then the remainder."""
    full, rest = divmod(n_docs, BLOCK)
    return [BLOCK] * full + ([rest] if rest else [])


def _simulate(job: tuple[int, int]) -> _Block:
    """One plain simulated block of ``size`` documents with ``seed`` (runs in a worker)."""
    seed, size = job
    sys.path.insert(0, str(HERE))
    import simulate

    stories = simulate.load_reuters_stories(REUTERS)
    corpus = simulate.simulate(
        stories, n_stories=max(2, round(size * STORY_SHARE)),
        n_distractors=round(size * DISTRACTOR_SHARE), strength=STRENGTH, seed=seed,
    )  # fmt: skip
    docs = _fit(corpus.documents, corpus.truth["roles"], size, seed)
    families = corpus.truth["families"]
    return _Block([d["id"] for d in docs], [d["text"] for d in docs],
                  [families[d["id"]] for d in docs])  # fmt: skip


def _fit(
    docs: list[dict[str, str]], roles: dict[str, str], size: int, seed: int
) -> list[dict[str, str]]:
    """Drop the last distractors until ``size`` documents remain."""
    excess = len(docs) - size
    if excess < 0:
        raise ValueError(f"seed {seed}: the simulator made {len(docs)} documents, need {size}")
    drop: set[int] = set()
    for index in range(len(docs) - 1, -1, -1):
        if len(drop) == excess:
            break
        if roles[docs[index]["id"]] == "distractor":
            drop.add(index)
    return [d for i, d in enumerate(docs) if i not in drop]


def substitution(block: int) -> dict[int, str]:
    """The letter and digit substitution of a block (the identity for block 0)."""
    lower = "abcdefghijklmnopqrstuvwxyz"
    digits = "0123456789"
    if block == 0:
        return {}
    rng = random.Random(f"corpus-cipher:{block}")
    letters = rng.sample(lower, len(lower))
    numbers = rng.sample(digits, len(digits))
    table = dict(zip(lower, letters, strict=True))
    table |= {k.upper(): v.upper() for k, v in table.items()}
    table |= dict(zip(digits, numbers, strict=True))
    return str.maketrans(table)


def encipher(text: str, table: dict[int, str]) -> str:
    """``text`` with the substitution applied outside the simulator's markup."""
    if not table:
        return text
    parts = _PROTECTED.split(text)
    parts[::2] = [part.translate(table) for part in parts[::2]]
    return "".join(parts)


def _rows(index: int, block: _Block) -> Iterator[tuple[str, str, str]]:
    """(id, text, family) of block ``index``'s documents, enciphered for ``index > 0``."""
    table = substitution(index)
    for doc_id, text, family in zip(block.ids, block.texts, block.families, strict=True):
        yield f"b{index:03d}-{doc_id}", encipher(text, table), f"{index}/{family}"


# ---------------------------------------------------------------- the corpus files


def paths(n_docs: int, out: Path = OUT) -> CorpusFiles:
    """The files of the ``n_docs`` corpus (sizes filled in from its meta file if present)."""
    meta = _read_meta(out / f"sim-{n_docs}.meta.json")
    return CorpusFiles(out / f"sim-{n_docs}.jsonl", out / f"sim-{n_docs}.truth.json",
                       n_docs, int(meta.get("text_bytes", 0)))  # fmt: skip


def _read_meta(path: Path) -> dict[str, Any]:
    try:
        return dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return {}


def _parameters(n_docs: int) -> dict[str, Any]:
    return {"version": VERSION, "documents": n_docs, "block": BLOCK, "seeds": SEEDS,
            "strength": STRENGTH, "story_share": STORY_SHARE,
            "distractor_share": DISTRACTOR_SHARE}  # fmt: skip


def ensure(n_docs: int, out: Path = OUT, quiet: bool = False) -> CorpusFiles:
    """The ``n_docs`` corpus, built first if it is missing or was built with other parameters.

    Raises CorpusMissing when Reuters-21578 is not at ``../shared/data/reuters21578``.
    """
    files = paths(n_docs, out)
    meta = _read_meta(out / f"sim-{n_docs}.meta.json")
    fresh = {k: meta.get(k) for k in _parameters(n_docs)} == _parameters(n_docs)
    if fresh and files.jsonl.exists() and files.truth.exists():
        return files
    if not any(REUTERS.glob("reut2-*.sgm")):
        raise CorpusMissing(
            f"Reuters-21578 (reut2-*.sgm) not found in {REUTERS}: the simulated corpora are "
            "made from it (see ../shared/data/README.md)"
        )
    started = time.perf_counter()
    if not quiet:
        print(f"building the {n_docs:,}-document corpus in {out} (once) ...", file=sys.stderr)
    text_bytes = _write(n_docs, out)
    meta = _parameters(n_docs) | {"text_bytes": text_bytes}
    (out / f"sim-{n_docs}.meta.json").write_text(json.dumps(meta) + "\n", encoding="utf-8")
    if not quiet:
        print(f"  built in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return paths(n_docs, out)


def _simulated_blocks(sizes: Sequence[int]) -> dict[tuple[int, int], _Block]:
    """The distinct plain blocks the corpus needs, keyed by (seed, size), made in parallel."""
    jobs = sorted({(i % SEEDS + 1, size) for i, size in enumerate(sizes)})
    workers = max(1, min(len(jobs), multiprocessing.cpu_count()))
    with multiprocessing.get_context("spawn").Pool(workers) as pool:
        return dict(zip(jobs, pool.map(_simulate, jobs), strict=True))


def _write(n_docs: int, out: Path) -> int:
    """Write the JSONL and truth files (through temporary names); the text's UTF-8 bytes."""
    sizes = block_sizes(n_docs)
    plain = _simulated_blocks(sizes)
    out.mkdir(parents=True, exist_ok=True)
    files = paths(n_docs, out)
    truth: dict[str, str] = {}
    text_bytes = 0
    partial = files.jsonl.with_suffix(".jsonl.partial")
    with partial.open("w", encoding="utf-8", newline="\n") as lines:
        for index, size in enumerate(sizes):
            for doc_id, text, family in _rows(index, plain[(index % SEEDS + 1, size)]):
                lines.write(json.dumps({"id": doc_id, "text": text}, ensure_ascii=False) + "\n")
                truth[doc_id] = family
                text_bytes += len(text.encode("utf-8"))
    files.truth.write_text(json.dumps(truth) + "\n", encoding="utf-8")
    partial.replace(files.jsonl)
    return text_bytes


# ---------------------------------------------------------------- reading


def read_documents(path: Path) -> tuple[list[str], list[str]]:
    """Ids and texts of a corpus JSONL file."""
    ids: list[str] = []
    texts: list[str] = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            ids.append(row["id"])
            texts.append(row["text"])
    return ids, texts


def read_truth(path: Path) -> dict[str, str]:
    """Doc id -> true family."""
    return dict(json.loads(path.read_text(encoding="utf-8")))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=BLOCK, help="documents (default 10000)")
    parser.add_argument("--out", type=Path, default=OUT, help="folder (benchmarks/out)")
    args = parser.parse_args(argv)
    if args.docs < 100:
        parser.error("--docs must be at least 100")
    try:
        files = ensure(args.docs, args.out)
    except (CorpusMissing, ValueError) as error:
        print(f"corpus: {error}", file=sys.stderr)
        return 1
    print(f"{files.jsonl}: {files.documents:,} documents, {files.text_bytes / 1e6:.1f} MB of text")
    return 0


if __name__ == "__main__":
    sys.exit(main())
