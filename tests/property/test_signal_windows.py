"""The lineage signals seek their slow patterns only around anchor words: the same matches as
a scan of the whole text."""

from __future__ import annotations

import importlib

from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.model import Document

signals = importlib.import_module("dedup.lineage.signals")

# Words that open, close or fill the phrases the patterns find, and plain words between them.
_PIECES = [
    "last", "week", "month", "three", "days", "ago", "earlier", "this", "later", "year",
    "the", "previous", "in", "mid-March", "(", ")", "UPDATE", "2", "CORRECTED", "(Corrects",
    "(adds", "Editor's", "note", "REPEAT", "by", "By", "Jane", "Doe", "via", "AFP", "source:",
    "Reuters", "-", "\u2014", "originally", "published", "first", "appeared", "courtesy", "of",
    "credit:", "February", "20,", "2023", "2023-02-20", "15", "Dec", "1999", "said", "İ",
    "\n\n", "  ", "nearby", "translate", "agos",
]  # fmt: skip
_TEXTS = st.lists(st.sampled_from(_PIECES), max_size=60).map(" ".join)


def _starts(matches: object) -> list[tuple[int, str]]:
    return [(m.start(), m.group()) for m in matches]  # type: ignore[attr-defined]


@settings(max_examples=300, deadline=None)
@given(_TEXTS)
def test_windowed_patterns_find_what_a_whole_scan_finds(text: str) -> None:
    assert signals.retrospective_phrases(text) == tuple(
        m.start() for m in signals._RETROSPECTIVE.finditer(text)
    )
    assert signals.update_markers(Document(id="x", text=text)) == tuple(
        m.start() for m in signals._UPDATE_MARKERS.finditer(text)
    )
    assert _starts(signals._date_matches(text)) == _starts(signals._TEXT_DATE.finditer(text))
    openers = sorted(signals._occurrences(text, signals._CREDIT_OPENERS))
    windowed = signals._windowed(signals._CREDIT, text, openers, 0, signals._CREDIT_REACH)
    assert _starts(windowed) == _starts(signals._CREDIT.finditer(text))
