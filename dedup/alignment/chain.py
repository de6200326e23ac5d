"""Chains: seeds that follow one another along nearby diagonals, as one passage would.

A passage copied with small edits shows up as seeds on the same diagonal, or on diagonals a few
words apart (a word cut or added shifts the diagonal), separated by short gaps. Seeds are taken
in the order of A; each joins the best open chain that ends at most ``max_gap`` words before it
in both texts, or starts a chain of its own. A moved paragraph starts a chain on another
diagonal, so reordering costs nothing. Work per seed is bounded (a few buckets, a few chains
each), so chaining is linear in the number of seeds.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

import attrs

from dedup.alignment.anchors import Seed

# Open chains remembered per diagonal bucket; older ones are abandoned (bounded work per seed).
_CHAINS_PER_BUCKET = 8


@attrs.define(eq=False)
class Chain:
    """Seeds in increasing order in both texts; ``score`` estimates equal minus changed words.

    ``a_end``/``b_end``: one past the last word of A (of B) the chain covers.
    """

    seeds: list[Seed]
    score: int
    a_end: int
    b_end: int

    @classmethod
    def start(cls, seed: Seed) -> Chain:
        """A chain of one seed."""
        return cls([seed], seed.length, seed.a + seed.length, seed.b + seed.length)

    def extend(self, seed: Seed, score: int) -> None:
        """Append a seed that follows the chain's end in both texts."""
        self.seeds.append(seed)
        self.score = score
        self.a_end, self.b_end = seed.a + seed.length, seed.b + seed.length


def _link(chain: Chain, seed: Seed, max_gap: int) -> tuple[int, Seed] | None:
    """The score of ``chain`` extended by ``seed``, and the seed trimmed to follow the chain.

    ``None`` when the seed is not within ``max_gap`` words after the chain's end in both texts.
    """
    # A seed on a nearby diagonal may overlap the chain's end; it then starts after it.
    trim = max(0, chain.a_end - seed.a, chain.b_end - seed.b)
    if trim >= seed.length:
        return None
    a, b, length = seed.a + trim, seed.b + trim, seed.length - trim
    gap = max(a - chain.a_end, b - chain.b_end)
    if gap > max_gap:
        return None
    return chain.score - gap + length, Seed(a, b, length)


def chains(seeds: Sequence[Seed], max_gap: int) -> list[Chain]:
    """Group seeds (sorted by position in A) into chains, highest score first."""
    found: list[Chain] = []
    buckets: dict[int, list[Chain]] = {}
    for seed in seeds:
        bucket = (seed.b - seed.a) // max_gap
        best: tuple[int, Seed, Chain] | None = None
        for key in (bucket - 1, bucket, bucket + 1):
            for chain in buckets.get(key, ()):
                linked = _link(chain, seed, max_gap)
                if linked and linked[0] > seed.length and (best is None or linked[0] > best[0]):
                    best = (linked[0], linked[1], chain)
        if best is None:
            chain = Chain.start(seed)
            found.append(chain)
        else:
            chain = best[2]
            chain.extend(best[1], best[0])
        _remember(buckets, bucket, chain)
    return sorted(found, key=lambda c: (-c.score, c.seeds[0].a, c.seeds[0].b))


def _remember(buckets: dict[int, list[Chain]], bucket: int, chain: Chain) -> None:
    members = buckets.setdefault(bucket, [])
    if chain in members:
        members.remove(chain)
    members.append(chain)
    if len(members) > _CHAINS_PER_BUCKET:
        del members[0]


class IntervalSet:
    """Disjoint half-open word ranges already taken by accepted passages, in one text."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._starts: list[int] = []
        self._ends: list[int] = []

    def add(self, start: int, end: int) -> None:
        """Mark ``[start, end)`` as taken (it must not overlap a taken range)."""
        index = bisect.bisect_left(self._starts, start)
        self._starts.insert(index, start)
        self._ends.insert(index, end)

    def free_around(self, position: int) -> tuple[int, int] | None:
        """The largest free range containing ``position``, or None if it is taken."""
        index = bisect.bisect_right(self._starts, position) - 1
        if index >= 0 and self._ends[index] > position:
            return None
        lo = self._ends[index] if index >= 0 else 0
        hi = self._starts[index + 1] if index + 1 < len(self._starts) else self.size
        return lo, hi

    def free_parts(self, start: int, end: int) -> list[tuple[int, int]]:
        """The free pieces of ``[start, end)``."""
        parts: list[tuple[int, int]] = []
        index = max(0, bisect.bisect_right(self._starts, start) - 1)
        cursor = start
        while cursor < end:
            if index < len(self._starts) and self._starts[index] < end:
                taken_start, taken_end = self._starts[index], self._ends[index]
                index += 1
                if taken_end <= cursor:
                    continue
                if taken_start > cursor:
                    parts.append((cursor, taken_start))
                cursor = max(cursor, taken_end)
            else:
                parts.append((cursor, end))
                break
        return parts
