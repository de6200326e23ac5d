import numpy as np
import pytest

from dedup.cluster import families
from dedup.model import Relation
from dedup.verify import classify, intersection_size, overlap


def arr(values: range | list[int]) -> np.ndarray:
    return np.array(sorted(set(values)), dtype=np.uint64)


def test_overlap_scores_are_exact() -> None:
    score = overlap(arr(range(0, 100)), arr(range(50, 200)))
    assert score.jaccard == pytest.approx(50 / 200)
    assert score.containment.a_in_b == pytest.approx(0.5)
    assert score.containment.b_in_a == pytest.approx(50 / 150)


def test_intersection_handles_values_past_the_end() -> None:
    assert intersection_size(arr([1, 2, 3]), arr([3, 10, 2**63])) == 1
    assert intersection_size(arr([2**63 + 5]), arr([1])) == 0
    assert intersection_size(arr([]), arr([1])) == 0


def test_relations_follow_thresholds() -> None:
    full = arr(range(1000))
    assert classify(overlap(full, arr(range(50, 1000))), 0.8, 0.8) is Relation.NEAR_DUPLICATE
    trimmed = arr(range(400))  # a copy cut from the bottom: all inside, Jaccard 0.4
    assert classify(overlap(trimmed, full), 0.8, 0.8) is Relation.CONTAINED
    assert classify(overlap(arr(range(0, 500)), arr(range(400, 900))), 0.8, 0.8) is None


def test_families_are_connected_components_ordered_by_size() -> None:
    ids = ["e", "d", "c", "b", "a"]
    found = families(ids, [(0, 1), (1, 2), (3, 4)])
    assert [f.members for f in found] == [("c", "d", "e"), ("a", "b")]
    assert [f.id for f in found] == ["F1", "F2"]


def test_every_document_is_in_exactly_one_family() -> None:
    ids = [f"d{i}" for i in range(10)]
    found = families(ids, [(0, 9), (3, 4)])
    members = [m for f in found for m in f.members]
    assert sorted(members) == sorted(ids)


def test_boilerplate_only_text_is_not_reported_as_contained() -> None:
    page = arr(range(1000))
    footer = arr(range(950, 1000))  # all inside the page, but 5 % of it
    assert classify(overlap(footer, page), 0.8, 0.8, min_jaccard=0.2) is None
    assert classify(overlap(arr(range(300)), page), 0.8, 0.8, min_jaccard=0.2) is Relation.CONTAINED


def test_compare_scores_two_texts_like_a_scan() -> None:
    from dedup import compare

    body = " ".join(f"word{i}" for i in range(200))
    assert compare(body, body.upper()).relation is Relation.EXACT_DUPLICATE
    trimmed = compare(" ".join(body.split()[:90]), body)
    assert trimmed.relation is Relation.CONTAINED
    assert trimmed.containment.a_in_b == 1.0
    assert compare(body, "an unrelated text about something else entirely").relation is None


def words(start: int, stop: int) -> str:
    return " ".join(f"w{i}" for i in range(start, stop))


def test_family_linked_only_through_a_longer_text_is_flagged_loose() -> None:
    from dedup import Document, scan_documents

    from dedup import LshParams, ScanConfig

    head, tail, whole = words(0, 80), words(120, 200), words(0, 200)
    # Each part has Jaccard 0.39 with the whole, where the default LSH finds a pair 9 times in
    # 10: a lower LSH threshold makes both links certain, whatever the sketch method.
    result = scan_documents(
        [Document("head", head), Document("tail", tail), Document("whole", whole)],
        ScanConfig(lsh=LshParams(threshold=0.2)),
    )
    (family,) = [f for f in result.families if len(f.members) > 1]
    assert family.members == ("head", "tail", "whole")
    assert family.loose
    assert family.cohesion < 0.5


def test_family_of_real_copies_is_cohesive() -> None:
    from dedup import Document, scan_documents

    base = words(0, 200)
    docs = [Document(f"d{i}", base + f" extra{i}") for i in range(3)]
    (family,) = scan_documents(docs).families
    assert not family.loose
    assert family.cohesion > 0.9
