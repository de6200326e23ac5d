"""The diff module: the passages two documents share, and corresponding sentences.

``align`` finds shared passages (anchors → chains → banded word-level alignment → trimming);
``align_sentences`` pairs sentences in order for translations and rewrites. See docs/diff.md.
"""

from dedup.align.api import align, align_normalized, align_sentences

__all__ = ["align", "align_normalized", "align_sentences"]
