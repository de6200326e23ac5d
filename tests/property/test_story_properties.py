"""Adding an unrelated document does not change the relations of the pairs already found."""

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

import dedup

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
DOCS = tuple(
    dedup.Document(p.name, p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.txt"))
)
BASE = {(p.a, p.b): p.relation for p in dedup.scan_documents(DOCS).pairs}

WORDS = st.sampled_from(
    ["garden", "tomato", "harvest", "soil", "compost", "rain", "beetle", "pruning", "orchard",
     "hedge", "seedling", "mulch"]
)


@settings(max_examples=15, deadline=None)
@given(st.lists(WORDS, min_size=5, max_size=60))
def test_an_unrelated_document_leaves_existing_relations_alone(words: list[str]) -> None:
    extra = dedup.Document("zzz_unrelated.txt", " ".join(words))
    result = dedup.scan_documents((*DOCS, extra))
    found = {(p.a, p.b): p.relation for p in result.pairs if "zzz_unrelated.txt" not in (p.a, p.b)}
    assert found == BASE
