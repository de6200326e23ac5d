"""The diff module: the passages two documents share, and corresponding sentences.

``align`` finds shared passages (anchors → chains → banded word-level alignment → trimming);
``align_sentences`` pairs similar sentences in any order (translations, rewrites, paraphrase)
and joins them into passages. See docs/diff.md.
"""

from dedup.alignment.api import align, align_normalized, align_sentences

__all__ = ["align", "align_normalized", "align_sentences"]
