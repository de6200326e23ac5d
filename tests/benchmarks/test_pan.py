"""PAN-style planted cases and the PAN measure: the truth must describe the texts exactly."""

from __future__ import annotations

import json
import math
import random
from collections import Counter
from pathlib import Path

import pytest
import simulate
from pan_cases import OBFUSCATIONS, PanPair, plant_pan_cases, sentences_of
from plagdet import Plagdet, Range2
from simulate import Story


def _stories(count: int) -> list[Story]:
    """Stories of random words in sentences and paragraphs, each story its own words."""
    rng = random.Random(7)
    stories = []
    for number in range(count):
        paragraphs = []
        for _ in range(4):
            sentences = []
            for _ in range(4):
                body = [f"s{number}w{rng.randrange(10_000)}" for _ in range(rng.randint(10, 18))]
                sentences.append(" ".join([body[0].capitalize(), *body[1:]]) + ".")
            paragraphs.append(" ".join(sentences))
        stories.append(Story(str(number), "\n\n".join(paragraphs), ""))
    return stories


@pytest.fixture(scope="module")
def pairs() -> list[PanPair]:
    return plant_pan_cases(_stories(4 * 2 * len(OBFUSCATIONS) + 20), pairs_per_type=2, seed=1)


def test_every_obfuscation_has_its_pairs_and_unrelated_ones_have_no_case(
    pairs: list[PanPair],
) -> None:
    assert Counter(p.obfuscation for p in pairs) == dict.fromkeys(OBFUSCATIONS, 2)
    for pair in pairs:
        assert (pair.obfuscation == "unrelated") == (not pair.cases)
        assert all(c.obfuscation == pair.obfuscation for c in pair.cases)
    assert all(len(p.cases) >= 2 for p in pairs if p.obfuscation == "one-source")


def test_offsets_point_at_the_planted_passage(pairs: list[PanPair]) -> None:
    for pair in pairs:
        for case in pair.cases:
            source = pair.source[case.source_offset : case.source_offset + case.source_length]
            planted = pair.suspicious[case.this_offset : case.this_offset + case.this_length]
            assert 40 <= len(source.split()) <= 200
            assert source == source.strip() and planted == planted.strip()
            if pair.obfuscation == "none":  # the same words; paragraph breaks become spaces
                assert planted.split() == source.split()
            if pair.obfuscation == "reordered":
                assert Counter(planted.split()) == Counter(source.split())
                assert planted != source
            if pair.obfuscation in ("random", "same-kind"):
                assert planted != source


def test_the_rest_of_the_suspicious_text_is_the_host(pairs: list[PanPair]) -> None:
    for pair in pairs:
        text = pair.suspicious
        for case in sorted(pair.cases, key=lambda c: -c.this_offset):
            text = text[: case.this_offset] + text[case.this_offset + case.this_length :]
        source_words = set(pair.source.split())
        # Host words are drawn from other stories: none of the source's (random) words.
        assert not set(text.split()) & source_words


def test_sentences_end_before_a_capital() -> None:
    (paragraph,) = sentences_of("He left. She stayed in the U.S. Army. then more.")
    expected = ["He left.", "She stayed in the U.S. Army. then more."]
    assert [" ".join(s) for s in paragraph] == expected


def test_simulate_writes_pan_truth(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stories = _stories(4 * len(OBFUSCATIONS))
    monkeypatch.setattr(simulate, "load_jsonl_stories", lambda path: stories)
    out = tmp_path / "pan"
    assert simulate.main(["--source", "x.jsonl", "--pan", "1", "--out", str(out)]) == 0
    truth = json.loads((out / "truth.json").read_text())
    rows = [json.loads(line) for line in (out / "pairs.jsonl").read_text().splitlines()]
    assert truth["schema"] == "dedup.pan/1"
    assert sorted(truth["cases"]) == sorted(row["id"] for row in rows)
    assert simulate.main(["--source", "x.jsonl", "--pan", "0", "--out", str(out)]) == 1


def test_plagdet_of_an_exact_detection_is_one() -> None:
    measure = Plagdet()
    case = Range2(100, 200, 0, 100)
    measure.add([case], [case])
    assert (measure.precision, measure.recall, measure.granularity, measure.plagdet) == (1, 1, 1, 1)


def test_plagdet_punishes_a_case_cut_in_two() -> None:
    measure = Plagdet()
    measure.add([Range2(100, 200, 0, 100)], [Range2(100, 150, 0, 50), Range2(150, 200, 50, 100)])
    assert measure.precision == measure.recall == 1
    assert measure.granularity == 2
    assert measure.plagdet == pytest.approx(1 / math.log2(3))


def test_a_detection_must_overlap_the_case_in_both_texts() -> None:
    measure = Plagdet()
    # Right place in the suspicious text, wrong place in the source: detects nothing.
    measure.add([Range2(100, 200, 0, 100)], [Range2(100, 200, 500, 600)])
    assert measure.precision == 0 and measure.recall == 0 and measure.plagdet == 0
    partial = Plagdet()
    partial.add([Range2(0, 100, 0, 100)], [Range2(50, 150, 0, 100)])
    assert partial.recall == pytest.approx(150 / 200)
    assert partial.precision == pytest.approx(150 / 200)
