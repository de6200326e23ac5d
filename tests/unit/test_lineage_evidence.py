"""The direction evidence of both regimes, on small texts written for each case."""

from __future__ import annotations

import datetime as dt

import dedup
from dedup.lineage import pair_evidence, score_pair, side
from dedup.lineage.evidence import Side
from dedup.lineage.siblings import discount_siblings
from dedup.lineage.signals import mentioned_dates, update_markers
from dedup.model import EvidenceKind, LineageEdge, Relation

STORY = (
    "The council agreed on Tuesday to close the old bridge over the river for repairs. "
    "Engineers found cracks in two of its supports during an inspection last spring. "
    "Traffic will be sent over the northern crossing while the work goes on. "
    "The mayor said the bridge would reopen before the winter if the weather holds. "
    "Shop owners on the east bank fear that they will lose customers during the closure."
)


def make(doc_id: str, text: str, **metadata: str) -> Side:
    doc = dedup.Document(doc_id, text, None, metadata)
    return side(doc, dedup.normalize(doc.text))


def test_marks_of_a_later_version_are_capitalised_slugs_and_bracketed_notes() -> None:
    doc = dedup.Document("x", "UPDATE 2-Bridge shut (Adds mayor's comment). He updated it.")
    assert len(update_markers(doc)) == 2  # "updated" in running text is no mark
    titled = dedup.Document("y", "text", None, {"title": "CORRECTED - Bridge shut"})
    assert update_markers(titled) == (-1,)


def test_full_dates_in_the_text_are_read_and_impossible_ones_skipped() -> None:
    found = mentioned_dates(
        "On February 20, 2023, after 3 March 2022 (2022-12-05), not May 40, 2020"
    )
    assert [d for _, d in found] == [
        dt.date(2023, 2, 20),
        dt.date(2022, 3, 3),
        dt.date(2022, 12, 5),
    ]


def test_a_correction_mark_only_one_text_adds_points_to_it_as_the_later() -> None:
    old = make("old", STORY)
    new = make("new", "(Corrects name of the crossing)\n\n" + STORY.replace("northern", "western"))
    found = pair_evidence(old, new, Relation.REWRITE)
    assert found.marker == 1.0
    assert pair_evidence(new, old, Relation.REWRITE).marker == -1.0


def test_a_later_date_only_the_story_mentions_points_to_the_later_text() -> None:
    old = make("old", STORY)
    new = make("new", STORY + " The bridge reopened on November 2, 2023, the council said.")
    assert pair_evidence(old, new, Relation.REWRITE).text_date == 1.0


def test_a_dateline_in_page_furniture_is_no_later_date() -> None:
    body = make("body", STORY)
    page = make("page", "December 20, 2022\n\n" + STORY)
    assert pair_evidence(body, page, Relation.NEAR_DUPLICATE).text_date == 0.0


def test_publication_dates_decide_against_the_length() -> None:
    first = make("first", STORY, date="2023-01-01T10:00:00")
    resend = make("resend", STORY.rsplit(". ", 1)[0] + ".", date="2023-01-01T16:00:00")
    edge = score_pair(first, resend, Relation.NEAR_DUPLICATE).edge
    assert (edge.source, edge.target) == ("first", "resend")
    later_but_longer = make("longer", STORY + " More follows.", date="2022-12-31T10:00:00")
    edge = score_pair(first, later_but_longer, Relation.REWRITE).edge
    assert edge.source == "longer"
    assert edge.evidence[0].kind is EvidenceKind.DATE


def test_same_story_pairs_get_a_direction_only_from_dates_and_marks() -> None:
    short = make("short", STORY.rsplit(". ", 2)[0] + ".")
    long = make("long", STORY)
    found = pair_evidence(long, short, Relation.SAME_STORY)
    assert found.growth == found.trimmed == found.additions == 0.0
    assert score_pair(long, short, Relation.SAME_STORY).edge.confidence == 0.5


def test_a_sibling_that_explains_less_of_the_target_is_not_its_source() -> None:
    # Both cut from the source, each keeping a sentence the other lacks: whichever way the
    # pair points, the source has all they share and more of the target.
    sentences = STORY.rstrip(".").split(". ")
    source = make("source", STORY)
    one = make("one", ". ".join(sentences[:3] + sentences[4:]) + ".")
    two = make("two", ". ".join(sentences[:4]) + ".")
    pairs = [(source, one), (source, two), (one, two)]
    scored = [score_pair(a, b, Relation.REWRITE) for a, b in pairs]
    sides = {s.id: s for s in (source, one, two)}
    found = discount_siblings(scored, sides, 3)
    def siblings(edge: LineageEdge) -> bool:
        return {edge.source, edge.target} == {"one", "two"}

    (before,) = [c.edge for c in scored if siblings(c.edge)]
    (between,) = [c.edge for c in found if siblings(c.edge)]
    assert between.confidence < 0.25 * before.confidence
    assert between.evidence[-1].kind is EvidenceKind.COMMON_SOURCE
    assert [c.edge for c in found if not siblings(c.edge)] == [
        c.edge for c in scored if not siblings(c.edge)
    ]


def test_a_shared_byline_is_no_shared_innovation_but_a_related_article_line_is() -> None:
    byline = "By Jane Roe, Staff Writer"
    related = "Related article: Ferry service to double while the bridge is shut"
    one = make("one", f"Bridge to close\n\n{byline}\n\n{STORY}\n\nSubscribe to our newsletter")
    two = make("two", f"{byline}\n\n{STORY}\n\nFollow us on social media")
    assert pair_evidence(one, two, Relation.NEAR_DUPLICATE).shared_innovation == 0.0
    page = make("page", f"Bridge to close\n\n{STORY}\n\n{related}\n\nShare this article")
    body = make("body", f"{STORY}\n\n{related}")
    assert pair_evidence(page, body, Relation.NEAR_DUPLICATE).shared_innovation == 1.0
