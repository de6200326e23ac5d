"""Properties of the story tier: adding an unrelated document does not change the relations of
the pairs already found, and content terms taken a batch at once are those of each text."""

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

import dedup
from dedup.tiers.words import STOPWORDS, content_terms, content_terms_of_texts

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


content_tokens = st.one_of(
    st.sampled_from(sorted(STOPWORDS)),
    st.sampled_from(["a", "x", "7", "2022", "0", "ms22", "borisov", "borissov", "ab", "cafe"]),
    st.sampled_from(["café", "東", "москва", "١٢٣", "²", "straße"]),
    st.text(alphabet="abcxyz0123456789", min_size=1, max_size=20),
)
normalised_texts = st.lists(content_tokens, max_size=40).map(lambda t: " ".join(t).encode())


@given(st.lists(normalised_texts, max_size=6), st.integers(min_value=1, max_value=8))
def test_content_terms_of_a_batch_are_those_of_each_text(
    texts: list[bytes], stem: int
) -> None:
    expected = [content_terms(text.decode("utf-8").split(), stem) for text in texts]
    found = content_terms_of_texts(texts, stem)
    assert len(found) == len(texts)
    for got, want in zip(found, expected, strict=True):
        assert got.tolist() == want.tolist()
