"""``dedup.dask.scan``: the scan's stages over Dask partitions, the result of ``dedup.scan``.

Where each stage runs:

- workers: reading shards, duplicate ids (shuffle on the id), features, exact groups (shuffle on
  the text's key), LSH (band keys shuffled so equal keys meet; candidates deduplicated by a
  shuffle on the pair's first document), verification (each pair partition receives the shingle
  sets of its documents only), copy families (union-find per partition, forests merged in a
  tree);
- client: the result (documents, their texts read again from the inputs when needed; pairs,
  families), family cohesion (from the signature rows of family members), and the stages after
  the copy tier, the local pipeline's own ``after_copies``: the tier below copies (on the
  partitions' shingle sets and content words, gathered), copy families, lineage, passages.
"""

from __future__ import annotations

import bisect
import collections
import functools
import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from dask.delayed import delayed
from distributed import Client, Future

from dedup.config import LshParams, ScanConfig
from dedup.dask import exchange, graph, parts
from dedup.dask.inputs import Shard, count_newlines, empty_files, number_lines, plan, read_shard
from dedup.documents import DocumentStore, Texts
from dedup.loading import reread
from dedup.lsh.params import resolve_bands
from dedup.model import ScanResult, Skipped
from dedup.pipeline import (
    StageClock,
    Tail,
    after_copies,
    scan_documents,
)
from dedup.shingling import ShingleStore
from dedup.tiers import WordStore

I64 = npt.NDArray[np.int64]
#: Tasks of a client-driven stage in flight per worker: enough that no worker waits.
_IN_FLIGHT = 3
#: Bytes of JSONL per partition: ~30,000 news articles, a few hundred MB of a worker's memory.
BLOCK_BYTES = 64 * 1024 * 1024
_ID_META = pd.DataFrame({
    "id": pd.Series([], dtype=object), "part": np.empty(0, np.int64),
    "pos": np.empty(0, np.int64), "where": pd.Series([], dtype=object),
})  # fmt: skip
_REPEAT_META = pd.DataFrame({
    "part": np.empty(0, np.int64), "pos": np.empty(0, np.int64),
    "reason": pd.Series([], dtype=object),
})  # fmt: skip
_KEY_META = pd.DataFrame({
    "hi": np.empty(0, np.uint64), "lo": np.empty(0, np.uint64), "doc": np.empty(0, np.int64),
    "id": pd.Series([], dtype=object),
})  # fmt: skip
_EDGE_META = pd.DataFrame({
    "member": np.empty(0, np.int64), "rep": np.empty(0, np.int64),
    "member_id": pd.Series([], dtype=object), "rep_id": pd.Series([], dtype=object),
})  # fmt: skip


class Run:
    """One scan on a client: the futures of each stage, released as the next stage takes over."""

    def __init__(self, client: Client, config: ScanConfig) -> None:
        self.client = client
        self.config = config
        self.clock = StageClock()
        self.parts: list[Future[Any]] = []
        self.offsets: list[int] = []
        self.exact: list[Future[Any]] = []

    def scan(self, paths: Sequence[str], block_bytes: int) -> ScanResult:
        units = self._numbered(plan(paths, block_bytes))
        documents, skipped, dropped = self._load(units)
        self.clock.lap("features")
        if not documents:
            return scan_documents([], self.config, skipped=[*skipped, *dropped])
        ids = documents.ids
        exact, verified, _found = self._copies()
        tail = Tail(ids, *self._features(), lambda members: self._rows(ids, members),
                    Texts(documents, self.config.normalize))
        found = after_copies(tail, exact, verified, self.config, self.clock,
                             mapper=self._on_workers)  # fmt: skip
        return ScanResult(
            documents=documents, skipped=(*skipped, *dropped), pairs=found.pairs,
            families=found.families, config=self.config, stories=found.stories,
            lineage=found.lineage, boilerplate=found.boilerplate,
            stats=self._stats(len(ids), len(ids) - len(exact)),
        )  # fmt: skip

    # --- reading ---------------------------------------------------------------------------

    def _numbered(self, units: list[Shard | Skipped]) -> list[Shard | Skipped]:
        blocks = [u for u in units if isinstance(u, Shard) and u.kind == "jsonl"]
        counts = self.client.gather(self.client.map(count_newlines, blocks, pure=False))
        return number_lines(units, counts)

    def _load(
        self, units: list[Shard | Skipped]
    ) -> tuple[DocumentStore, list[Skipped], list[Skipped]]:
        """Read and featurise every shard; the kept documents, the load's skips in input order,
        and the documents dropped for having no words."""
        where, prepared, empty = self._prepared(units)
        found = self._collect(units, dict(zip(where, prepared, strict=True)), empty)
        self._keep_features(prepared)
        return found

    def _prepared(
        self, units: list[Shard | Skipped]
    ) -> tuple[list[int], list[Future[Any]], set[int]]:
        """Every shard read and featurised on the workers: the units read, their partitions
        (``parts.Prepared``), and the units after which an empty JSONL file is reported."""
        where = [i for i, unit in enumerate(units) if isinstance(unit, Shard)]
        # Not pure: a file read again may have changed, so equal arguments give no equal result.
        loads = self.client.map(
            read_shard, [units[i] for i in where], config=self.config.load, pure=False
        )
        frames = [delayed(parts.id_frame)(load, p) for p, load in enumerate(loads)]
        repeats = exchange.shuffled(frames, _ID_META, "id").map_partitions(
            parts.repeated_ids, meta=_REPEAT_META
        ).to_delayed()
        prepared = self.client.compute([
            delayed(parts.prepare)(load, p, self.config, *repeats)
            for p, load in enumerate(loads)
        ])  # fmt: skip
        records = self.client.gather(self.client.map(_records, loads))
        return where, prepared, empty_files(units, dict(zip(where, records, strict=True)))

    def _keep_features(self, prepared: list[Future[Any]]) -> None:
        """The documents have left the workers (to the client, or to files): keep the
        features only, and number the documents across partitions."""
        self.parts = [self.client.submit(_features_only, p) for p in prepared]
        sizes = self.client.gather(self.client.map(_size, self.parts))
        self.offsets = [0, *itertools.accumulate(sizes)][:-1]

    def _collect(
        self, units: list[Shard | Skipped], prepared: dict[int, Future[Any]], empty: set[int]
    ) -> tuple[DocumentStore, list[Skipped], list[Skipped]]:
        """The partitions' documents and skips, fetched one partition at a time, in input order
        (``empty``: the units after which an empty JSONL file is reported). Texts that can be
        read again from the inputs are not fetched: the client reads the few it aligns."""
        documents = DocumentStore(functools.partial(reread, config=self.config.load))
        skipped: list[Skipped] = []
        dropped: list[Skipped] = []
        for index, unit in enumerate(units):
            if isinstance(unit, Skipped):
                skipped.append(unit)
                continue
            docs, skips, drops = self.client.gather(
                self.client.submit(_client_part, prepared[index])
            )
            documents.extend(docs)
            skipped.extend(skips)
            dropped.extend(drops)
            if index in empty:
                skipped.append(Skipped(unit.path, "empty file"))
        return documents, skipped, dropped

    # --- the copy graph ----------------------------------------------------------------------

    def _copies(self) -> tuple[list[tuple[int, int]], graph.Verified, Future[Any]]:
        """Exact edges, verified pairs (both gathered: they are the result) and the copy
        families' forest (left on the workers)."""
        exact, checked, found = self._graph()
        exact_edges = [
            (int(m), int(r)) for frame in self.client.gather(exact)
            for m, r in frame[["member", "rep"]].itertuples(index=False)
        ]  # fmt: skip
        verified = [v for part in self.client.gather(self.client.map(_verified, checked))
                    for v in part]  # fmt: skip
        self.clock.lap("verify")
        return exact_edges, verified, found

    def _graph(self) -> tuple[list[Future[Any]], list[Future[Any]], Future[Any]]:
        """On the workers: the exact-duplicate edge partitions, the verified candidate
        partitions (``graph.Checked``) and the copy families' forest."""
        keys = [delayed(parts.key_frame)(p, o) for p, o in self._each()]
        exact = self.client.compute(exchange.shuffled(keys, _KEY_META, "hi").map_partitions(
            parts.exact_edges, meta=_EDGE_META).to_delayed())  # fmt: skip
        self.exact = exact
        self.clock.lap("exact")
        candidates = self._candidates(exact, self.config.lsh, self.config.sketch.num_perm)
        self.clock.lap("lsh")
        checked = self.client.compute([
            delayed(graph.verify_routed)(pairs, offered, self.config)
            for pairs, offered in zip(candidates, self._offered(candidates), strict=True)
        ])  # fmt: skip
        leaves = [self.client.submit(graph.edge_array, e) for e in [*exact, *checked]]
        return exact, checked, _tree(self.client, leaves)

    def _candidates(
        self, exact: list[Future[Any]], params: LshParams, num_perm: int
    ) -> list[Future[Any]]:
        """Candidate pair partitions of the representatives' signatures."""
        shape = resolve_bands(params, num_perm)
        frames = [delayed(graph.band_frame)(p, o, shape, *exact) for p, o in self._each()]
        buckets = exchange.shuffled(frames, graph.BAND_META, "key").map_partitions(
            graph.bucket_candidates, params.max_bucket_pairs, meta=graph.PAIR_META
        )
        distinct = buckets.shuffle(on="a", shuffle_method=exchange.SHUFFLE_METHOD).map_partitions(
            graph.distinct_pairs, meta=graph.PAIR_META
        )
        futures: list[Future[Any]] = self.client.compute(distinct.to_delayed())
        return futures

    def _offered(self, candidates: list[Future[Any]]) -> list[Any]:
        """For each candidate partition, the ids and shingle sets of its documents: requests
        routed to the partitions that hold the documents, their answers routed back (two
        shuffles keyed by document; never a task per pair of partitions)."""
        starts = np.array(self.offsets, dtype=np.int64)
        asked = [delayed(graph.requests)(c, starts, dest) for dest, c in enumerate(candidates)]
        at_owner = exchange.routed(asked, graph.REQUEST_META, "owner", len(self.parts))
        answers = [
            delayed(parts.offers)(part, offset, wanted)
            for (part, offset), wanted in zip(self._each(), at_owner, strict=True)
        ]
        return exchange.routed(answers, graph.OFFER_META, "dest", len(candidates))

    def _features(self) -> tuple[Joined, Joined]:
        """Every partition's shingle sets and content words, as two sequences by global index
        (the tier below copies reads them all; issue: keep them on the workers)."""
        stores = self.client.gather([self.client.submit(_stores, p) for p in self.parts])
        return Joined([s for s, _ in stores]), Joined([w for _, w in stores])

    def _each(self) -> Iterable[tuple[Future[Any], int]]:
        return zip(self.parts, self.offsets, strict=True)

    def _on_workers(self, function: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        """A stage's tasks (lineage: a few groups of pairs with their documents each) run on
        the workers, results in order; a few per worker in flight, so that the client never
        holds more than those."""
        window: collections.deque[Future[Any]] = collections.deque()
        limit = _IN_FLIGHT * max(1, len(self.client.scheduler_info().get("workers", {})))
        for item in items:
            window.append(self.client.submit(function, item, pure=False))
            if len(window) >= limit:
                yield window.popleft().result()
        while window:
            yield window.popleft().result()

    # --- cohesion (client) -----------------------------------------------------------------

    def _rows(
        self, ids: Sequence[str], members: Sequence[str]
    ) -> tuple[dict[str, int], npt.NDArray[np.uint32]]:
        """Signature rows of the named documents, fetched from the partitions that hold them:
        a matrix and each id's row in it."""
        index = {doc_id: i for i, doc_id in enumerate(ids)}
        wanted = self.client.scatter(np.array(sorted(index[m] for m in members), np.int64))
        found = self.client.gather([
            self.client.submit(parts.rows_for, p, o, wanted) for p, o in self._each()
        ])  # fmt: skip
        docs = np.concatenate([d for d, _ in found])
        matrix = np.concatenate([m for _, m in found])
        return {ids[d]: row for row, d in enumerate(docs.tolist())}, matrix

    def _stats(self, documents: int, distinct: int) -> dict[str, Any]:
        workers = len(self.client.scheduler_info().get("workers", {}))
        return {
            "seconds": self.clock.laps, "documents": documents, "distinct_texts": distinct,
            "backend": "dask", "partitions": len(self.parts), "workers": workers,
        }  # fmt: skip


def _tree(client: Client, leaves: list[Future[Any]]) -> Future[Any]:
    """The forests of the leaves merged pairwise, level by level, into one (on the workers)."""
    level = leaves or [client.submit(graph.forest)]
    while len(level) > 1:
        level = [client.submit(graph.forest, *level[i : i + 2]) for i in range(0, len(level), 2)]
    if leaves and len(leaves) == 1:
        return client.submit(graph.forest, level[0])
    return level[0]


class Joined:
    """Per-partition stores read as one sequence by global document index."""

    def __init__(self, stores: Sequence[Any]) -> None:
        self._stores = list(stores)
        self._starts = [0, *itertools.accumulate(len(s) for s in self._stores)]

    def __len__(self) -> int:
        return self._starts[-1]

    def __getitem__(self, index: int) -> Any:
        part = bisect.bisect_right(self._starts, index) - 1
        return self._stores[part][index - self._starts[part]]


def _stores(part: parts.Prepared) -> tuple[ShingleStore, WordStore]:
    return part.features.shingles, part.features.words


def _records(loaded: Any) -> int:
    return int(loaded.records)


def _size(part: parts.Prepared) -> int:
    return len(part.ids)


def _client_part(
    part: parts.Prepared,
) -> tuple[DocumentStore, tuple[Skipped, ...], tuple[Skipped, ...]]:
    return part.documents, part.skipped, part.features.dropped


def _verified(checked: graph.Checked) -> graph.Verified:
    return checked.verified


def _features_only(part: parts.Prepared) -> parts.Prepared:
    return parts.Prepared((), DocumentStore(), part.ids, part.features)
