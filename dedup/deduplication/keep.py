"""Keep policies: which member of a family of duplicates is kept.

Each policy is a sort key over the members; the smallest is kept. Ties go to the next of
earliest, longest, and finally the smallest id, so that only ``first`` depends on input order.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections import defaultdict
from collections.abc import Callable, Container, Iterable, Mapping, Sequence

from dedup.cluster import UnionFind
from dedup.errors import ConfigError
from dedup.lineage.signals import document_date, parse_timestamp
from dedup.loading.text import text_metadata
from dedup.model import Document, Lineage, Pair, ScanResult


class KeepPolicy(enum.StrEnum):
    """Which document of a family is kept (docs/dedupe.md weighs them)."""

    #: the oldest by date metadata or a dateline at the top of the text; undated last
    EARLIEST = "earliest"
    #: the one with most words (runs of non-space characters): the most complete text
    LONGEST = "longest"
    #: the lineage root: the text the others derive from
    SOURCE = "source"
    #: the first in input order, for streams
    FIRST = "first"


def keep_policy(name: KeepPolicy | str) -> KeepPolicy:
    """The policy named; ConfigError for an unknown name."""
    try:
        return KeepPolicy(name)
    except ValueError:
        known = ", ".join(p.value for p in KeepPolicy)
        raise ConfigError(f"unknown keep policy {name!r} (known: {known})") from None


Key = tuple[object, ...]
#: A sort key of a member given the family's members; the smallest wins.
Criterion = Callable[[str, Sequence[str]], Key]
_UNDATED = (1, dt.datetime.min)
#: A dateline is a date-only line among the first ones; text_metadata need not read further.
_HEAD = 4000


def choose_kept(result: ScanResult, pairs: Sequence[Pair], policy: KeepPolicy) -> dict[str, str]:
    """Each member of a family of two or more (the components of ``pairs``) → its kept member.

    Only the documents in some pair are looked at: at a million documents most are alone.
    """
    paired = sorted({p.a for p in pairs} | {p.b for p in pairs})
    row = {doc_id: i for i, doc_id in enumerate(paired)}
    groups = UnionFind(len(paired))
    for pair in pairs:
        groups.union(row[pair.a], row[pair.b])
    members: dict[int, list[str]] = defaultdict(list)
    for i, doc_id in enumerate(paired):
        members[groups.find(i)].append(doc_id)  # paired is sorted, so each family is
    criteria = _criteria(result, policy, row)
    kept_of: dict[str, str] = {}
    for family in members.values():
        kept_of.update(dict.fromkeys(family, _best(family, criteria)))
    return kept_of


def _best(members: Sequence[str], criteria: Sequence[Criterion]) -> str:
    """The member that wins on the first criterion, the next criterion deciding ties (each is
    computed only for the members still tied), then the smallest id."""
    tied = list(members)
    for criterion in criteria:
        keys = {doc_id: criterion(doc_id, members) for doc_id in tied}
        best = min(keys.values())
        tied = [doc_id for doc_id in tied if keys[doc_id] == best]
        if len(tied) == 1:
            break
    return min(tied)


def _criteria(
    result: ScanResult, policy: KeepPolicy, wanted: Container[str]
) -> list[Criterion]:
    """The sort keys of ``policy``, then those of the policies that break its ties, for the
    ``wanted`` documents."""
    index = {doc.id: i for i, doc in enumerate(result.documents) if doc.id in wanted}
    if policy is KeepPolicy.FIRST:
        return [lambda doc_id, _members: (index[doc_id],)]

    def longest(doc_id: str, _members: Sequence[str]) -> Key:
        # Words as runs of non-space characters: a third of the cost of normalising, which
        # counts at a million documents, and wrapping or padding still does not count.
        return (-len(result.documents[index[doc_id]].text.split()),)

    def earliest(doc_id: str, _members: Sequence[str]) -> Key:
        return date_key(result.documents[index[doc_id]])

    if policy is KeepPolicy.EARLIEST:
        return [earliest, longest]
    if policy is KeepPolicy.LONGEST:
        return [longest, earliest]
    return [_SourceRank(result.lineage).key, earliest, longest]


def date_key(doc: Document) -> Key:
    """Dated documents first, oldest first: the metadata date (the loaders put a file's
    dateline there), else a date-only line at the top of the text."""
    date, _ = document_date(doc)
    if date is None:
        found = text_metadata(doc.text[:_HEAD]).get("date")
        date = parse_timestamp(found) if found else None
    return _UNDATED if date is None else (0, date)


class _SourceRank:
    """Members that derive from no other member come first, those with most descendants in the
    family before the others. Latent sources are not documents: the copies of one latent source
    are all roots, and the policies after ``source`` choose among them."""

    def __init__(self, lineage: Lineage) -> None:
        self._children: Mapping[str, list[str]] = _children(
            (e.source, e.target) for e in lineage.edges
        )
        self._cache: dict[tuple[str, ...], dict[str, Key]] = {}

    def key(self, doc_id: str, members: Sequence[str]) -> Key:
        family = tuple(members)
        if family not in self._cache:
            self._cache = {family: self._keys(family)}  # one family at a time: bounded
        return self._cache[family][doc_id]

    def _keys(self, members: tuple[str, ...]) -> dict[str, Key]:
        inside = set(members)
        children = {m: [c for c in self._children.get(m, ()) if c in inside] for m in members}
        derived = {c for found in children.values() for c in found}
        return {m: (m in derived, -_reach(m, children)) for m in members}


def _children(edges: Iterable[tuple[str, str]]) -> Mapping[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    for source, target in edges:
        found[source].append(target)
    return found


def _reach(start: str, children: Mapping[str, list[str]]) -> int:
    """How many members derive from ``start``, directly or not."""
    seen = {start}
    stack = [start]
    while stack:
        for child in children[stack.pop()]:
            if child not in seen:
                seen.add(child)
                stack.append(child)
    return len(seen) - 1
