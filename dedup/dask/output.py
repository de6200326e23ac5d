"""``dedup.dask.scan_to``: a scan whose result the workers write as tables, never gathered.

For a copy scan (no story tier, lineage or passages) every table is written by the workers:
each read partition writes its documents and skips; each exact-duplicate partition and each
verified candidate partition writes its pairs; the families are made and named on the workers
(``dedup.dask.families``). The client holds per-partition counts, the sort's few boundary keys
and the manifest. A scan with the later stages runs them on the client as ``dedup.dask.scan``
does, and writes the same tables from its result (``written_by: client`` in the manifest).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

from dask.delayed import delayed
from distributed import Future

from dedup.dask import exchange, families, graph, parts
from dedup.dask.inputs import Shard, plan
from dedup.dask.scan import Run
from dedup.model import Skipped
from dedup.report import folder, tables

#: Rows of a table that one process writes per partition.
Piece = tuple[str, str, int]


class ToTables(Run):
    """One scan on a client whose tables the workers write under ``out``."""

    def write(self, paths: Sequence[str], block_bytes: int, out: str) -> dict[str, Any]:
        """Scan ``paths`` and write the tables and manifest; the manifest."""
        if self.config.story or self.config.lineage or self.config.passages:
            result = self.scan(paths, block_bytes)
            return folder.write_result(result, out)
        units = self._numbered(plan(paths, block_bytes))
        where, prepared, empty = self._prepared(units)
        pieces = self._write_loaded(units, where, prepared, empty, out)
        self._keep_features(prepared)
        self.clock.lap("features")
        documents = sum(n for table, _, n in pieces if table == "documents")
        exact, checked, found = self._graph() if documents else ([], [], None)
        pieces += self._write_pairs(exact, checked, out)
        self.clock.lap("verify")
        if found is not None:
            pieces += [("families", *piece) for piece in self._write_families(found, out)]
        self.clock.lap("cluster")
        return self._manifest(out, pieces, documents, exact)

    def _write_loaded(
        self,
        units: list[Shard | Skipped],
        where: list[int],
        prepared: list[Future[Any]],
        empty: set[int],
        out: str,
    ) -> list[Piece]:
        """Each read partition's documents and skips, written by its worker; the inputs that
        gave no partition (and empty files) written here, named to keep the input order."""
        written = self.client.gather([
            self.client.submit(parts.write_loaded, part, out, unit)
            for unit, part in zip(where, prepared, strict=True)
        ])  # fmt: skip
        pieces: list[Piece] = [piece for found in written for piece in found]
        for unit, item in enumerate(units):
            early = [item] if isinstance(item, Skipped) else []
            late = [Skipped(item.path, "empty file")] if unit in empty else []
            for name, skips in ((f"a-{unit:06d}-0", early), (f"a-{unit:06d}-2", late)):
                if skips:
                    rows = tables.skipped_rows(skips)
                    pieces.append(("skipped", *folder.write_partition(rows, "skipped", out, name)))
        return pieces

    def _write_pairs(
        self, exact: list[Future[Any]], checked: list[Future[Any]], out: str
    ) -> list[Piece]:
        """The exact and verified pairs, each partition written by the worker that holds it."""
        jobs = [
            *(self.client.submit(parts.write_exact, e, out, f"exact-{i:05d}")
              for i, e in enumerate(exact)),
            *(self.client.submit(graph.write_verified, c, out, f"near-{i:05d}")
              for i, c in enumerate(checked)),
        ]  # fmt: skip
        return [("pairs", *piece) for piece in self.client.gather(jobs)]

    def _write_families(self, found: Future[Any], out: str) -> list[tuple[str, int]]:
        """Components gathered by label, ranked by a sample sort, written by range."""
        rows = [delayed(families.component_rows)(p, o, found) for p, o in self._each()]
        summary = self.client.compute(
            exchange.shuffled(rows, families.COMPONENT_META, "label").map_partitions(
                families.summaries, self.config.threshold, meta=families.SUMMARY_META
            ).to_delayed()
        )  # fmt: skip
        samples = self.client.gather(self.client.map(families.key_sample, summary))
        cuts = families.boundaries(samples, len(summary))
        ranges = self.client.compute(exchange.routed(
            [delayed(families.placed)(s, cuts) for s in summary], families.RANGE_META,
            "range", len(summary),
        ))  # fmt: skip
        counts = self.client.gather(self.client.map(len, ranges))
        firsts = [0, *itertools.accumulate(counts)][:-1]
        written: list[tuple[str, int]] = self.client.gather([
            self.client.submit(families.write_range, r, first, out, f"part-{i:05d}")
            for i, (r, first) in enumerate(zip(ranges, firsts, strict=True))
        ])  # fmt: skip
        return written

    def _manifest(
        self, out: str, pieces: list[Piece], documents: int, exact: list[Future[Any]]
    ) -> dict[str, Any]:
        merged = [] if not exact else self.client.gather(self.client.map(len, exact))
        stats = self._stats(documents, documents - sum(merged))
        done = [
            folder.written(table, [(path, rows) for t, path, rows in pieces if t == table])
            for table in ("documents", "skipped", "pairs", "families")
        ]
        return folder.write_manifest(out, self.config, stats, done, "workers")
