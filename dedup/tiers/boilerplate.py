"""The boilerplate the story tier set aside, as passages a reader can recognise.

A shingle held by more copy families than ``StoryConfig.shingle_cap`` is boilerplate. The most
widespread ones are read back from one document that holds them and grown into the longest run
of boilerplate shingles around them: a weather widget, a newsletter footer, a template's fixed
sentence, with the number of copy families that carry it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt

from dedup.model import Boilerplate, NormalizedText
from dedup.shingling import ngram_hashes, token_hashes
from dedup.tiers.postings import Postings

U32 = npt.NDArray[np.uint32]


def boilerplate_passages(
    found: Postings,
    cap: int,
    shown: int,
    unit_docs: Sequence[int],
    ids: Sequence[str],
    normalised: Callable[[int], NormalizedText],
    ngram: int,
) -> tuple[Boilerplate, ...]:
    """Up to ``shown`` boilerplate passages, most widespread first (``unit_docs[u]``: the
    document index of unit ``u``; ``normalised(d)``: document ``d``'s normalised text)."""
    heavy = np.flatnonzero(found.df > cap)
    if not shown or not heavy.size:
        return ()
    boiler = np.sort(found.prints[heavy])
    order = heavy[np.lexsort((found.prints[heavy], -found.df[heavy]))]
    covered: set[int] = set()
    passages: list[Boilerplate] = []
    for group in order.tolist():
        if len(passages) == shown:
            break
        if int(found.prints[group]) in covered:
            continue
        holders = found.holders[found.starts[group] : found.starts[group + 1]]
        doc = min((unit_docs[u] for u in holders.tolist()), key=ids.__getitem__)
        text, prints = _run_around(normalised(doc), int(found.prints[group]), boiler, ngram)
        covered.update(prints)
        passages.append(Boilerplate(text, int(found.df[group]), ids[doc]))
    return tuple(passages)


def _run_around(
    text: NormalizedText, seed: int, boiler: U32, ngram: int
) -> tuple[str, set[int]]:
    """The words of the longest run of boilerplate shingles through ``seed`` in ``text``, and
    the shingles of that run."""
    hashes = (ngram_hashes(token_hashes(text.tokens), ngram) >> np.uint64(32)).astype(np.uint32)
    at = np.flatnonzero(hashes == seed)
    if not at.size:
        return "", {seed}
    marked = np.isin(hashes, boiler)
    start = stop = int(at[0])
    while start > 0 and marked[start - 1]:
        start -= 1
    while stop + 1 < hashes.size and marked[stop + 1]:
        stop += 1
    words = text.tokens[start : stop + ngram]
    return " ".join(words), {int(h) for h in hashes[start : stop + 1].tolist()}
