"""The removal map: for each removed document, the kept one that stands for it, and the pair
that ties it to the family.

A removed document need not be paired with the kept one directly: a family is a connected
component, and its members may be linked through a chain. Each removed document gets the
first pair on a shortest path towards the kept document (strongest pairs first), and ``via``
names the member at the other end of that pair when it is not the kept document. Identical
texts (one exact-duplicate class) share every pair, so paths are found between classes.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable, Mapping, Sequence

import attrs

from dedup.cluster import UnionFind
from dedup.model import Containment, Pair, Relation

_IDENTICAL = Containment(1.0, 1.0)


@attrs.frozen
class Removal:
    """Document ``id`` was removed as a duplicate of ``kept``.

    ``relation``, ``jaccard`` and ``containment`` are those of the pair that ties ``id`` to
    its family: with ``kept`` itself when ``via`` is None, else with the member ``via`` (which
    is linked to ``kept`` in turn). ``containment.a_in_b`` is the share of ``id``'s shingles
    found in that partner, ``b_in_a`` the partner's share found in ``id``.
    """

    id: str
    kept: str
    relation: Relation
    jaccard: float
    containment: Containment
    via: str | None = None


def removals(pairs: Sequence[Pair], kept_of: Mapping[str, str]) -> dict[str, Removal]:
    """A Removal for each document of ``kept_of`` (member → kept member) that is not kept."""
    classes = _Classes(kept_of, (p for p in pairs if p.relation is Relation.EXACT_DUPLICATE))
    links = _links(pairs, classes)
    found: dict[str, Removal] = {}
    members: dict[str, list[str]] = defaultdict(list)
    for doc_id, kept in kept_of.items():
        members[kept].append(doc_id)
    for kept, family in members.items():
        parents = _shortest_paths(classes.of(kept), links)
        for doc_id in family:
            if doc_id != kept:
                found[doc_id] = _removal(doc_id, kept, parents, classes)
    return found


class _Classes:
    """Exact-duplicate classes; each named by its smallest id."""

    def __init__(self, ids: Iterable[str], exact: Iterable[Pair]) -> None:
        self._ids = sorted(ids)
        self._row = {doc_id: i for i, doc_id in enumerate(self._ids)}
        groups = UnionFind(len(self._ids))
        for pair in exact:
            groups.union(self._row[pair.a], self._row[pair.b])
        # ids are sorted, so the first id seen for a root is its smallest member.
        first: dict[int, str] = {}
        self._name = [first.setdefault(groups.find(i), doc_id) for i, doc_id in
                      enumerate(self._ids)]  # fmt: skip

    def of(self, doc_id: str) -> str:
        return self._name[self._row[doc_id]]


Link = tuple[str, Pair]


def _links(pairs: Iterable[Pair], classes: _Classes) -> dict[str, list[Link]]:
    """Class → (neighbouring class, pair), strongest pair first, then by class name."""
    links: dict[str, list[Link]] = defaultdict(list)
    for pair in pairs:
        a, b = classes.of(pair.a), classes.of(pair.b)
        if a != b:
            links[a].append((b, pair))
            links[b].append((a, pair))
    for found in links.values():
        found.sort(key=lambda link: (-link[1].jaccard, link[0], link[1].a, link[1].b))
    return links


def _shortest_paths(start: str, links: Mapping[str, list[Link]]) -> dict[str, Link]:
    """Breadth-first from ``start``: each class reached → (its parent class, their pair)."""
    parents: dict[str, Link] = {}
    queue = deque([start])
    while queue:
        here = queue.popleft()
        for there, pair in links.get(here, ()):
            if there != start and there not in parents:
                parents[there] = (here, pair)
                queue.append(there)
    return parents


def _removal(doc_id: str, kept: str, parents: Mapping[str, Link], classes: _Classes) -> Removal:
    home = classes.of(doc_id)
    if home == classes.of(kept):
        return Removal(doc_id, kept, Relation.EXACT_DUPLICATE, 1.0, _IDENTICAL)
    parent, pair = parents[home]
    partner = kept if parent == classes.of(kept) else parent
    own_side = classes.of(pair.a) == home
    containment = pair.containment if own_side else Containment(
        a_in_b=pair.containment.b_in_a, b_in_a=pair.containment.a_in_b
    )
    via = None if partner == kept else partner
    return Removal(doc_id, kept, pair.relation, pair.jaccard, containment, via)
