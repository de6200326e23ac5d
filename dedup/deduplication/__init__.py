"""``dedup.dedupe``: the corpus back without its copies, one document kept per family.

Built on the scan: the pairs of ``scan_documents`` under the chosen relations join documents
into families (connected components), a keep policy (``keep.py``) picks one member of each,
and every other member is removed with a trace (``removal.py``): which kept document stands
for it, through which pair, with that pair's scores. ``files.py`` does the same for inputs on
disk and writes the kept records in their own format.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType

import attrs

from dedup.config import ScanConfig
from dedup.deduplication.keep import KeepPolicy, choose_kept, keep_policy
from dedup.deduplication.removal import Removal, removals
from dedup.errors import ConfigError, DuplicateIdError
from dedup.model import Document, Relation, ScanResult
from dedup.pipeline import scan_documents

__all__ = [
    "DEFAULT_RELATIONS",
    "Deduplication",
    "KeepPolicy",
    "Removal",
    "dedupe",
    "deduplicate",
    "keep_policy",
    "parse_relations",
    "scan_config_for",
]

#: Copies in the everyday sense: the same text, or the same text lightly edited.
DEFAULT_RELATIONS = frozenset({Relation.EXACT_DUPLICATE, Relation.NEAR_DUPLICATE})
_STORY_RELATIONS = frozenset({Relation.REWRITE, Relation.PARTIAL_REUSE, Relation.SAME_STORY})


def _relations(value: Iterable[Relation | str]) -> frozenset[Relation]:
    return parse_relations(value)


def _removals(value: Mapping[str, Removal]) -> Mapping[str, Removal]:
    return MappingProxyType(dict(value))


@attrs.frozen
class Deduplication:
    """Which documents of a scan are kept, and for each removed one, what stands for it.

    ``kept`` is in input order; ``removed`` maps each removed id to its Removal, in input order.
    """

    kept: tuple[str, ...]
    removed: Mapping[str, Removal] = attrs.field(converter=_removals, eq=False, hash=False)
    keep: KeepPolicy
    relations: frozenset[Relation] = attrs.field(converter=_relations)


def parse_relations(names: Iterable[Relation | str]) -> frozenset[Relation]:
    """The relations named (``exact-duplicate`` is always among them: identical texts are
    duplicates whatever else counts); ConfigError for an unknown name."""
    found = {Relation.EXACT_DUPLICATE}
    for name in names:
        try:
            found.add(Relation(name))
        except ValueError:
            known = ", ".join(r.value for r in Relation)
            raise ConfigError(f"unknown relation {name!r} (known: {known})") from None
    return frozenset(found)


def scan_config_for(
    config: ScanConfig, keep: KeepPolicy, relations: frozenset[Relation]
) -> ScanConfig:
    """``config`` with only the stages deduplication needs: the story tier when a looser
    relation counts, lineage for ``keep=source``, never passages (each costs time and memory)."""
    return attrs.evolve(
        config,
        story=bool(relations & _STORY_RELATIONS),
        lineage=keep is KeepPolicy.SOURCE,
        passages=False,
    )


def deduplicate(
    result: ScanResult,
    keep: KeepPolicy | str = KeepPolicy.EARLIEST,
    relations: Iterable[Relation | str] = DEFAULT_RELATIONS,
) -> Deduplication:
    """One kept document per family of ``result`` under ``relations`` (see ``dedupe``).

    ``result`` must come from a scan that looked for those relations (``scan_config_for``),
    and for ``keep="source"``, one that traced lineage.
    """
    policy = keep_policy(keep)
    chosen = parse_relations(relations)
    if policy is KeepPolicy.SOURCE and not result.config.lineage:
        raise ConfigError("keep='source' needs a scan with lineage (ScanConfig.lineage)")
    if chosen & _STORY_RELATIONS and not result.config.story:
        raise ConfigError("partial-reuse and same-story need a scan with ScanConfig.story")
    pairs = [p for p in result.pairs if p.relation in chosen]
    kept_of = choose_kept(result, pairs, policy)
    removed = removals(pairs, kept_of)
    order = [doc.id for doc in result.documents]
    return Deduplication(
        kept=tuple(doc_id for doc_id in order if doc_id not in removed),
        removed={doc_id: removed[doc_id] for doc_id in order if doc_id in removed},
        keep=policy,
        relations=chosen,
    )


def dedupe(
    documents: Iterable[Document],
    keep: KeepPolicy | str = KeepPolicy.EARLIEST,
    relations: Iterable[Relation | str] = DEFAULT_RELATIONS,
    config: ScanConfig = ScanConfig(),
    *,
    jobs: int = 1,
) -> tuple[tuple[Document, ...], Mapping[str, Removal]]:
    """The documents without their copies, and the map of each removed id to its Removal.

    ``keep``: ``earliest`` (date in the metadata, else a dateline at the top of the text;
    undated last), ``longest`` (most words), ``source`` (the lineage root of the family),
    ``first`` (input order); ties go to the next of earliest, longest, then the smallest id,
    so the result does not depend on input order except for ``first``. ``relations``: which
    pairs make two documents duplicates (default exact and near-duplicates). A document the
    scan cannot compare (no words) is kept. Raises DuplicateIdError when two documents share
    an id, ConfigError for an unknown policy or relation.
    """
    docs = list(documents)
    _check_unique(docs)
    policy, chosen = keep_policy(keep), parse_relations(relations)
    result = scan_documents(docs, scan_config_for(config, policy, chosen), jobs=jobs)
    removed = deduplicate(result, policy, chosen).removed
    return tuple(doc for doc in docs if doc.id not in removed), removed


def _check_unique(docs: Iterable[Document]) -> None:
    seen: set[str] = set()
    for doc in docs:
        if not isinstance(doc, Document):  # a common slip: paths instead of documents
            raise ConfigError(
                f"dedupe takes Documents, got {doc!r}; for files and folders, load them first "
                "(dedup.load(paths)) or run dedup dedupe PATH -o OUTPUT"
            )
        if doc.id in seen:
            raise DuplicateIdError(f"two documents have the id {doc.id!r}")
        seen.add(doc.id)
