"""The direction model's inputs: the regime (revision.py's story scale) and the order of dates."""

from __future__ import annotations

import numpy as np

import dedup
from dedup.lineage import pair_evidence, side
from dedup.lineage.evidence import DIRECTION_FEATURES, Side
from dedup.lineage.revision import REFERENCE_WORDS, story_scale
from dedup.lineage.weights import (
    DIRECTION,
    MODEL_FEATURES,
    direction_probability,
    direction_terms,
    model_inputs,
)

SENTENCE = "The algorithm is implemented in a multi-threaded fashion using the standard library"
CLAUSE = " with a shared memory architecture for the largest of the test cases"


def make(doc_id: str, text: str, **metadata: str) -> Side:
    doc = dedup.Document(doc_id, text, None, metadata)
    return side(doc, dedup.normalize(doc.text))


def words(count: int, seed: int) -> str:
    rng = np.random.default_rng(seed)
    return " ".join(f"w{n}" for n in rng.integers(0, 10**6, count)) + "."


def test_the_story_scale_is_symmetric_and_zero_at_the_reference_size() -> None:
    short, reference = make("s", words(20, 1)), make("r", words(REFERENCE_WORDS, 2))
    long = make("l", words(400, 3))
    assert story_scale(short.signals, long.signals) == story_scale(long.signals, short.signals)
    assert story_scale(reference.signals, long.signals) == 0.0
    assert story_scale(short.signals, long.signals) < 0.0 < story_scale(long.signals, long.signals)


def test_every_model_input_changes_sign_when_the_pair_is_swapped() -> None:
    pairs = [
        (make("a", SENTENCE + "."), make("b", SENTENCE + CLAUSE + ".")),
        (make("c", words(300, 4), date="2021-05-01T10:00:00"), make("d", words(200, 4))),
    ]
    for a, b in pairs:
        forward = model_inputs(pair_evidence(a, b))
        assert forward.shape == (len(MODEL_FEATURES),)
        assert np.array_equal(forward, -model_inputs(pair_evidence(b, a)))


def test_the_terms_fold_into_the_named_features_and_sum_to_the_log_odds() -> None:
    found = pair_evidence(make("a", words(300, 5)), make("b", words(250, 5)))
    terms = direction_terms(found)
    assert terms.shape == (len(DIRECTION_FEATURES),)
    log_odds = float(DIRECTION @ model_inputs(found))
    assert np.isclose(terms.sum(), log_odds)
    assert np.isclose(direction_probability(found), 1 / (1 + np.exp(-log_odds)))


def test_growth_says_less_for_an_edited_sentence_than_for_a_cut_document() -> None:
    # The same share of words added: a sentence is edited (revisions grow), a document cut.
    sentence = pair_evidence(make("a", SENTENCE + "."), make("b", SENTENCE + CLAUSE + "."))
    body = words(400, 6)
    cut = body[: len(body) * 2 // 3].rsplit(" ", 1)[0] + "."
    document = pair_evidence(make("c", cut), make("d", body))
    growth = DIRECTION_FEATURES.index("growth")
    assert direction_terms(document)[growth] < direction_terms(sentence)[growth] < 0.5


def test_a_later_publication_time_decides_even_ten_minutes_later() -> None:
    first = make("first", words(120, 7), date="2021-05-01T10:00:00")
    resend = make("resend", words(120, 7), date="2021-05-01T10:10:00")
    assert direction_probability(pair_evidence(first, resend)) > 0.95
