"""The tier below copies: one relation rule, boilerplate set aside, families that cannot chain,
and pairs that do not depend on the rest of the corpus."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

import dedup
from dedup.model import COPY_RELATIONS, Containment, Relation, ReuseEvidence
from dedup.relations import relation
from dedup.tiers.families import CoverTable, story_groups

CONFIG = dedup.ScanConfig()


def _words(rng: random.Random, count: int, prefix: str) -> list[str]:
    """Made-up words no other story uses (``prefix`` keeps vocabularies apart)."""
    return [prefix + "".join(rng.choices("bcdfghjklmnpqrstvwz", k=6)) for _ in range(count)]


def _story(seed: int, sentences: int = 30) -> str:
    """A text of its own: sentences of made-up content words joined by stopwords."""
    rng = random.Random(seed)
    vocabulary = _words(rng, 120, f"s{seed}x")
    lines = []
    for _ in range(sentences):
        words = rng.sample(vocabulary, 6)
        lines.append(f"The {words[0]} of {words[1]} said {words[2]} and {words[3]} were "
                     f"in {words[4]} with {words[5]}.")
    return " ".join(lines)


def _evidence(**given: float) -> ReuseEvidence:
    values = {"shared_shingles": 0, "rare_words": 0, "rare_cover": 0.0,
              "rare_cover_longer": 0.0, "rare_weight": 0.0, "order": 0.0, **given}
    return ReuseEvidence(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("jaccard", "containment", "evidence", "expected"),
    [
        (0.6, (0.7, 0.7), _evidence(shared_shingles=99), Relation.NEAR_DUPLICATE),
        (0.25, (0.9, 0.2), _evidence(rare_cover=0.9, order=0.9, rare_words=90),
         Relation.CONTAINED),
        # Below min_jaccard no copy, whatever the containment.
        (0.1, (0.9, 0.1), None, None),
        (0.1, (0.2, 0.2), _evidence(rare_cover=0.5, rare_cover_longer=0.3, order=0.8,
                                    rare_words=40, rare_weight=80, shared_shingles=30),
         Relation.REWRITE),
        (0.05, (0.1, 0.05), _evidence(shared_shingles=11, rare_cover=0.2, rare_weight=5),
         Relation.PARTIAL_REUSE),
        # A template's fixed sentence: a passage, but no rare word shared.
        (0.05, (0.1, 0.05), _evidence(shared_shingles=11), None),
        (0.05, (0.1, 0.05), _evidence(shared_shingles=33), Relation.PARTIAL_REUSE),
        (0.03, (0.05, 0.05), _evidence(shared_shingles=20, rare_cover=0.5,
                                       rare_cover_longer=0.4, rare_weight=50, rare_words=30),
         Relation.SAME_STORY),
        (0.0, (0.0, 0.0), _evidence(rare_cover=0.5, rare_cover_longer=0.05, rare_weight=50),
         None),
        (0.0, (0.0, 0.0), _evidence(rare_cover=0.5, rare_cover_longer=0.3, rare_weight=5), None),
    ],
)
def test_one_rule_names_every_relation(
    jaccard: float,
    containment: tuple[float, float],
    evidence: ReuseEvidence | None,
    expected: Relation | None,
) -> None:
    assert relation(jaccard, Containment(*containment), evidence, CONFIG) is expected


def test_a_shared_passage_in_a_text_that_tells_another_story_is_partial_reuse() -> None:
    # The same story throughout in the shorter text, little of the longer: reuse, not one story.
    evidence = _evidence(shared_shingles=20, rare_cover=0.5, rare_cover_longer=0.15,
                         rare_weight=50, rare_words=30)
    assert relation(0.02, Containment(0.05, 0.02), evidence, CONFIG) is Relation.PARTIAL_REUSE


def test_an_excerpt_among_other_texts_is_contained() -> None:
    article = _story(1, sentences=40)
    sentences = article.split(". ")
    excerpt = ". ".join(sentences[:9]) + "."
    others = [dedup.Document(id=f"other{i}", text=_story(100 + i)) for i in range(30)]
    docs = [dedup.Document(id="article", text=article), dedup.Document(id="excerpt", text=excerpt),
            *others]
    result = dedup.scan_documents(docs)
    found = {(p.a, p.b): p for p in result.pairs}
    pair = found[("article", "excerpt")]
    assert pair.relation is Relation.CONTAINED
    assert pair.containment.b_in_a >= 0.9
    assert result.family_of("article") == result.family_of("excerpt")


def test_page_furniture_links_no_stories() -> None:
    widget = ("Areas of fog early becoming mostly sunny high near 54 southwest wind 5 to 10 mph "
              "sign up be the first to know get the latest headlines in your inbox every morning")
    docs = [dedup.Document(id=f"page{i:02}", text=f"{_story(i)} {widget}") for i in range(24)]
    result = dedup.scan_documents(docs)
    assert result.pairs == ()
    assert all(len(story.members) == 1 for story in result.stories)
    assert result.boilerplate
    top = result.boilerplate[0]
    assert top.documents == 24
    assert "mostly sunny" in top.text


def test_story_families_do_not_chain_through_one_shared_member() -> None:
    # a-b and b-c are linked; a and c share nothing: average linkage keeps c out of {a, b}.
    cover = CoverTable(np.array([0 * 3 + 1, 1 * 3 + 2]), np.array([0.9, 0.3]), 3)
    groups = story_groups([(0, 1), (1, 2)], cover, floor=0.2)
    assert [group for group, _ in groups] == [[0, 1]]
    assert groups[0][1] == pytest.approx(0.9)


def test_a_cohesive_triangle_is_one_family() -> None:
    cover = CoverTable(np.array([1, 2, 5]), np.array([0.5, 0.4, 0.45]), 3)
    groups = story_groups([(0, 1), (1, 2)], cover, floor=0.2)
    assert [group for group, _ in groups] == [[0, 1, 2]]


def _related(result: dedup.ScanResult, ids: set[str]) -> dict[tuple[str, str], object]:
    return {(p.a, p.b): (p.relation, p.evidence, round(p.jaccard, 9)) for p in result.pairs
            if p.a in ids and p.b in ids}


def test_unrelated_documents_change_no_pair() -> None:
    seeds = dedup.scan(["seeds/"])
    base = [dedup.Document(id=d.id, text=d.text) for d in seeds.documents]
    ids = {d.id for d in base}
    rng = random.Random(7)
    unrelated = [dedup.Document(id=f"zz{i:03}", text=" ".join(_words(rng, 200, f"u{i}q")))
                 for i in range(40)]
    alone = dedup.scan_documents(base)
    among = dedup.scan_documents([*unrelated[:20], *base, *unrelated[20:]])
    assert _related(among, ids) == _related(alone, ids)
    assert any(p.relation not in COPY_RELATIONS for p in alone.pairs)


def test_member_pairs_under_the_cap_do_not_depend_on_input_order() -> None:
    # Two copy families of one story, 6 and 4 copies: 24 member pairs, more than the cap of
    # pairs reported per two families, so which ones are reported must not follow the order.
    seeds = sorted((Path(__file__).resolve().parents[2] / "seeds").glob("*.txt"))
    one, other = seeds[0].read_text(encoding="utf-8"), seeds[1].read_text(encoding="utf-8")
    docs = [dedup.Document(id=f"a{i}", text=one) for i in range(6)]
    docs += [dedup.Document(id=f"b{i}", text=other) for i in range(4)]
    config = dedup.ScanConfig(lineage=False)
    looser = [(p.a, p.b, p.relation) for p in dedup.scan_documents(docs, config).pairs
              if p.relation is Relation.SAME_STORY]  # fmt: skip
    assert 0 < len(looser) < 24
    again = dedup.scan_documents(docs[::-1], config).pairs
    assert looser == [(p.a, p.b, p.relation) for p in again if p.relation is Relation.SAME_STORY]
