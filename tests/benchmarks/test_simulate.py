"""The syndication simulator: its truth must describe its corpus exactly."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path
from typing import Any

import pytest
import simulate
from simulate import BODY_EDITS, SimulatedCorpus, Story

TEXTS = {
    "SOVIETS EXPECT TO BUY MORE U.S. GRAIN": """\
Soviet Trade Minister Boris Borisov said on Tuesday that Moscow expected to buy about 12 mln
tonnes of U.S. grain this year, up 15 pct from last season.

Borisov, speaking to reporters after talks with U.S. officials, said the purchases would depend
on prices and on the size of the domestic harvest, which is still recovering from last year's
drought.

Grain traders in Chicago said the comments helped corn futures, which rose two cents a bushel
in early trading. Wheat prices also rose, but soybeans fell slightly on profit taking.

The Soviet Union is the largest single buyer of U.S. wheat and corn. Under a long-term
agreement signed in 1983 it must buy at least nine mln tonnes a year, but it has fallen short
in each of the last three seasons.

Dmitry Petrov, a senior official at the state trading company Exportkhleb, said the company
would organize a tender in March. He declined to say how much wheat it would seek.

Analysts said the program of export subsidies offered by Washington had made U.S. grain more
competitive against supplies from Canada, Argentina and the European Community.""",
    "AUSTRALIAN DOCK WORKERS STRIKE": """\
Dock workers at Australia's largest ports began a 48-hour strike on Monday over a labor
agreement that unions say would cut jobs, a union spokesman said.
    The Waterside Workers Federation said about 4,000 members had walked off the job in
Sydney, Melbourne and Brisbane, stranding dozens of ships carrying wool, coal and wheat.
    Federation secretary Tasman Kelleher said the union would not return to work until
employers withdrew plans to reduce crews on container vessels. "We are fighting for our
members' livelihoods," he told a rally outside the center of the port.
    Employers said the strike would cost exporters about 25 mln Australian dlrs a day. The
National Farmers Federation said wool prices had already fallen five pct at last week's
auction because buyers feared delays.
    The federal government said it was still hoping for a negotiated settlement but would
consider legislation if the dispute continued. Industrial Relations Minister Ralph Willis
said talks were expected to resume on Thursday.""",
    "NORDDEUTSCHE KREDITBANK 1986 PROFIT UP 18 PCT": """\
Norddeutsche Kreditbank AG said its 1986 group net profit rose 18 pct to 412 mln marks, helped
by strong growth in commission income and lower provisions for bad loans.

The bank, Germany's fifth largest, said total assets rose to 94.6 billion marks from 88.2
billion a year earlier. Operating profit increased 11 pct to 1.21 billion marks.

Chief executive Wolfgang Hallerstein told a news conference the bank would raise its dividend
to 12 marks a share from 10 marks. He said the outlook for 1987 was less favorable because of
the strong mark and slower growth in exports.

Hallerstein said the bank planned to expand its branch network in southern Germany and would
open a representative office in Tokyo later this year. It also intends to strengthen its
securities trading in London and New York.

Analysts had expected a profit of about 390 mln marks. The bank's shares rose 7.50 marks to
512 marks on the Frankfurt stock exchange after the results were published.""",
    "OPEC EXTENDS OUTPUT CEILING": """\
OPEC oil ministers meeting in Vienna agreed to extend their production ceiling of 15.8 mln
barrels a day until the end of the year, conference sources said.

The ministers also agreed to set up a committee to monitor output by member states after
reports that several countries had been exceeding their quotas. Nigerian Oil Minister Rilwanu
Lukman, who chairs the meeting, said the committee would report in June.

Oil prices rose about 50 cents a barrel in New York on news of the agreement. Brent crude for
May delivery traded at 18.40 dlrs, up from 17.95 dlrs on Friday.

Saudi Arabia's oil minister Hisham Nazer told reporters the kingdom was satisfied with the
price of about 18 dlrs a barrel and would defend it. He said the organization's unity was
stronger than at any time in the last two years.

Some delegates said the ceiling could be raised in the third quarter if demand recovered.
Ecuador and Gabon had asked for higher quotas, but the request was rejected, one delegate
said.""",
    "MERIDIAN DATA TO BUY COASTLINE SOFTWARE": """\
Meridian Data Systems Inc said it agreed to acquire Coastline Software Corp for about 145 mln
dlrs in cash and stock, creating one of the largest suppliers of banking software in the
United States.

Under the terms of the deal, Coastline shareholders will receive 11 dlrs in cash and 0.4
Meridian share for each share they hold. The boards of both companies have approved the
merger, which is subject to regulatory review.

Meridian chairman Arthur Vellacott said the combined company would have annual revenues of
about 310 mln dlrs and 2,600 employees. He said there would be some job cuts but did not give
a figure.

Coastline, based in San Diego, reported a loss of 3.2 mln dlrs in its latest fiscal year,
compared with a profit of 1.8 mln dlrs a year earlier. Its shares rose 2-3/4 to 12-1/8 in
over-the-counter trading after the announcement.""",
    "FROST DAMAGES SOME BRAZIL COFFEE": """\
Heavy frosts over the weekend damaged coffee trees in parts of Parana state in southern Brazil,
but the main producing areas of Minas Gerais and Sao Paulo escaped serious harm, trade sources
said.

The Brazilian Coffee Institute said it was sending technicians to assess the damage. An
institute spokesman said early reports suggested that between five and ten pct of the trees in
northern Parana had been affected.

Coffee futures in New York rose the daily limit of six cents a pound on Monday as speculators
bought on fears of a smaller 1988 crop. London robusta prices also firmed.

Exporters said shipments for the current season were running ahead of last year and that the
frost would have little effect on supplies before the middle of next year. Brazil is the
world's largest coffee producer and exporter.""",
    "BANK OF JAPAN HOLDS DISCOUNT RATE": """\
The Bank of Japan left its discount rate unchanged at a record low of 2.5 pct on Wednesday,
despite pressure from Washington to stimulate the economy and reduce the trade surplus.

Governor Satoshi Sumita told a news conference that the central bank saw no need for further
easing because money supply growth was already high and land prices were rising fast in Tokyo.

Finance Ministry officials said the government would instead present a supplementary budget of
about five trillion yen to boost domestic demand. The package is expected to include public
works spending and tax cuts for households.

Economists said the decision was widely expected. The dollar fell slightly against the yen
after the announcement, ending at 145.20 yen in Tokyo from 145.60 on Tuesday.

U.S. Treasury officials have repeatedly urged Japan to cut interest rates, saying that faster
growth in Japan would help reduce its surplus with the United States, which reached 58 billion
dlrs last year.""",
}
STORIES = [
    Story(id=str(100 + i), text=text, date=f"1987-03-{i + 2:02d}", title=title)
    for i, (title, text) in enumerate(TEXTS.items())
]


def make(strength: float, seed: int = 1, drop_wire: bool = False) -> SimulatedCorpus:
    return simulate.simulate(
        STORIES, n_stories=4, n_distractors=2, strength=strength, seed=seed, drop_wire=drop_wire
    )


def squash(text: str) -> str:
    return " ".join(text.split())


def texts(corpus: SimulatedCorpus) -> dict[str, str]:
    """Every document's text, the dropped wire documents included."""
    rows = corpus.documents + corpus.truth["latent"]
    return {row["id"]: row["text"] for row in rows}


def edges(corpus: SimulatedCorpus, kind: str | None = None) -> list[dict[str, Any]]:
    return [e for e in corpus.truth["edges"] if kind is None or e["kind"] == kind]


def uncopied(text: str, spans: list[list[int]]) -> list[str]:
    """The maximal pieces of ``text`` outside the copied spans."""
    pieces, at = [], 0
    for start, end in spans:
        pieces.append(text[at:start])
        at = end
    return [*pieces, text[at:]]


CORPORA = {s: make(s) for s in (0.0, 0.5, 1.0)}


@pytest.mark.parametrize("strength", sorted(CORPORA))
def test_copied_spans_are_verbatim_source_text(strength: float) -> None:
    corpus = CORPORA[strength]
    text = texts(corpus)
    for edge in edges(corpus):
        target, source = text[edge["target"]], text[edge["source"]]
        spans = corpus.truth["spans"][edge["target"]]
        from_source = corpus.truth["source_spans"][edge["target"]]
        assert spans and len(spans) == len(from_source)
        ends = [0]
        for (start, end), (s_start, s_end) in zip(spans, from_source, strict=True):
            assert ends[-1] <= start < end <= len(target)
            assert 0 <= s_start < s_end <= len(source)
            assert squash(target[start:end]) == squash(source[s_start:s_end])
            assert squash(target[start:end]) in squash(source)
            ends.append(end)


@pytest.mark.parametrize("strength", sorted(CORPORA))
def test_text_outside_the_spans_is_not_from_the_source(strength: float) -> None:
    corpus = CORPORA[strength]
    text = texts(corpus)
    for edge in edges(corpus):
        source = squash(text[edge["source"]]).lower()
        pieces = uncopied(text[edge["target"]], corpus.truth["spans"][edge["target"]])
        for piece in pieces:
            if len(piece.split()) >= 6:  # furniture, local paragraphs, rewritten passages
                assert squash(piece).lower() not in source


def test_furniture_and_local_paragraphs_are_outside_the_spans() -> None:
    corpus = CORPORA[1.0]
    text = texts(corpus)
    outside = " ".join(
        piece
        for e in edges(corpus, "outlet")
        for piece in uncopied(text[e["target"]], corpus.truth["spans"][e["target"]])
    )
    assert "Related article:" in outside or "Read more:" in outside or "Photo:" in outside
    assert "https://www." in outside  # footers
    assert any("local_paragraphs" in e["edits"] for e in edges(corpus, "outlet"))


def test_strength_zero_republishes_the_body_verbatim() -> None:
    corpus = CORPORA[0.0]
    text = texts(corpus)
    for edge in edges(corpus):
        assert not set(edge["edits"]) & BODY_EDITS
    for edge in edges(corpus, "outlet"):
        copied = [text[edge["target"]][s:e] for s, e in corpus.truth["spans"][edge["target"]]]
        assert squash(" ".join(copied)) == squash(text[edge["source"]])


def test_strength_zero_aggregators_keep_all_of_the_outlets_story() -> None:
    corpus = CORPORA[0.0]
    aggregated = edges(corpus, "aggregator")
    assert aggregated
    for edge in aggregated:
        story = corpus.truth["spans"][edge["source"]]  # the outlet's copy of the wire
        kept = corpus.truth["source_spans"][edge["target"]]
        covered = {i for s, e in kept for i in range(s, e)}
        assert all(i in covered for s, e in story for i in range(s, e))


def retained(corpus: SimulatedCorpus) -> list[float]:
    """Per outlet version: share of the wire's non-space characters copied verbatim."""
    text = texts(corpus)
    shares = []
    for edge in edges(corpus, "outlet"):
        source = text[edge["source"]]
        copied = sum(
            len(re.sub(r"\s", "", source[s:e]))
            for s, e in corpus.truth["source_spans"][edge["target"]]
        )
        shares.append(copied / len(re.sub(r"\s", "", source)))
    return shares


def test_higher_strength_changes_more_on_average() -> None:
    means = []
    for strength in (0.0, 0.25, 0.5, 0.75, 1.0):
        shares = [x for seed in range(1, 6) for x in retained(make(strength, seed))]
        means.append(sum(shares) / len(shares))
    assert means[0] == 1.0
    assert all(a > b for a, b in itertools.pairwise(means)), means


def test_edit_rates_grow_with_strength() -> None:
    counts = []
    for strength in (0.2, 1.0):
        names = [n for s in range(1, 4) for e in edges(make(strength, s)) for n in e["edits"]]
        counts.append({n: names.count(n) for n in BODY_EDITS})
    for name in ("trim", "house_style", "synonyms", "local_paragraphs"):
        assert counts[1][name] > counts[0][name], name


def test_derivation_tree() -> None:
    corpus = CORPORA[0.5]
    roles, families = corpus.truth["roles"], corpus.truth["families"]
    targets = [e["target"] for e in edges(corpus)]
    assert len(targets) == len(set(targets))  # one source per derived document
    assert {d for d, r in roles.items() if r in ("outlet", "aggregator")} == set(targets)
    for edge in edges(corpus):
        assert families[edge["source"]] == families[edge["target"]]
        assert roles[edge["target"]] == edge["kind"]
        expected = "outlet" if edge["kind"] == "aggregator" else "wire"
        assert roles[edge["source"]] == expected
    for wire in corpus.truth["wire"]["ids"]:
        assert 2 <= sum(e["source"] == wire for e in edges(corpus)) <= 6


def test_aggregators_exist_and_may_keep_outlet_furniture() -> None:
    kept = [k for s in range(1, 6) for e in edges(make(0.5, s), "aggregator")
            for k in e["kept_furniture"]]  # fmt: skip
    assert "headline" in kept
    assert any(k in ("related", "caption", "readmore", "credit") for k in kept)


def test_dates_never_precede_the_source() -> None:
    corpus = CORPORA[0.5]
    dates = {row["id"]: row["date"] for row in corpus.documents}
    for edge in edges(corpus):
        assert dates[edge["target"]] > dates[edge["source"]]
    for date in dates.values():
        assert re.fullmatch(r"1987-0[34]-\d\dT\d\d:\d\d:\d\d", date)


def test_distractors_appear_once_each() -> None:
    corpus = CORPORA[0.5]
    roles, families = corpus.truth["roles"], corpus.truth["families"]
    distractors = [d for d, r in roles.items() if r == "distractor"]
    assert len(distractors) == 2
    for doc in distractors:
        assert list(families.values()).count(families[doc]) == 1


def test_same_seed_same_output_other_seed_other_output() -> None:
    again = make(0.5)
    assert json.dumps(again.documents) == json.dumps(CORPORA[0.5].documents)
    assert json.dumps(again.truth) == json.dumps(CORPORA[0.5].truth)
    assert json.dumps(make(0.5, seed=2).documents) != json.dumps(again.documents)


def test_drop_wire_keeps_wire_in_truth_only() -> None:
    full, dropped = CORPORA[0.5], make(0.5, drop_wire=True)
    wire = set(full.truth["wire"]["ids"])
    assert dropped.truth["wire"]["ids"] == full.truth["wire"]["ids"]
    assert set(dropped.truth["wire"]["dropped"]) == wire
    assert full.truth["wire"]["dropped"] == [] and full.truth["latent"] == []
    assert [d for d in full.documents if d["id"] not in wire] == dropped.documents
    latent = sorted((d for d in full.documents if d["id"] in wire), key=lambda d: d["id"])
    assert latent == dropped.truth["latent"]
    assert dropped.truth["edges"] == full.truth["edges"]
    assert dropped.truth["families"] == full.truth["families"]


def test_documents_carry_no_truth() -> None:
    corpus = CORPORA[0.5]
    for row in corpus.documents:
        assert set(row) == {"id", "text", "date", "outlet"}
        assert re.fullmatch(r"doc\d{5}", row["id"])
    assert corpus.truth["schema"] == "dedup.simulate/1"
    assert len(corpus.truth["families"]) == len(corpus.documents)


def test_cli_writes_identical_files_and_fails_cleanly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "stories.jsonl"
    source.write_text("".join(json.dumps(s.__dict__) + "\n" for s in STORIES), encoding="utf-8")
    args = ["--source", str(source), "--stories", "30", "--distractors", "2"]
    assert simulate.main([*args, "--out", str(tmp_path / "out")]) == 1
    assert "distinct stories" in capsys.readouterr().err
    assert simulate.main(["--reuters", str(tmp_path / "missing"), "--out", str(tmp_path)]) == 1
    assert "no reut2-*.sgm" in capsys.readouterr().err


def test_cli_round_trip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(simulate, "MIN_WORDS", 50)
    source = tmp_path / "stories.jsonl"
    source.write_text("".join(json.dumps(s.__dict__) + "\n" for s in STORIES), encoding="utf-8")
    args = ["--source", str(source), "--stories", "3", "--distractors", "2", "--seed", "4"]
    for out in ("a", "b"):
        assert simulate.main([*args, "--out", str(tmp_path / out)]) == 0
    for name in ("corpus.jsonl", "truth.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    rows = [json.loads(line) for line in (tmp_path / "a" / "corpus.jsonl").open()]
    truth = json.loads((tmp_path / "a" / "truth.json").read_text())
    assert len(rows) == len(truth["families"])
    assert truth["parameters"]["strength"] == 0.5


def test_reuters_loader(tmp_path: Path) -> None:
    body = " ".join(f"word{i}" for i in range(160))

    def story(newid: int, text: str) -> str:
        return (
            f'<REUTERS NEWID="{newid}"><DATE>26-FEB-1987 15:01:01.79</DATE><TEXT>'
            f"<TITLE>T{newid}</TITLE><BODY>{text}\n Reuter\n&#3;</BODY></TEXT></REUTERS>"
        )

    sgm = story(1, body) + story(2, body) + story(3, "too short") + story(4, body + " more")
    (tmp_path / "reut2-000.sgm").write_text(sgm, encoding="latin-1")
    loaded = simulate.load_reuters_stories(tmp_path)
    assert [s.id for s in loaded] == ["1", "4"]  # duplicate body and short story left out
    assert loaded[0].text == body and loaded[0].date == "1987-02-26" and loaded[0].title == "T1"


def test_edits_by_hand() -> None:
    assert simulate.name_variant("Borisov") == "Borissov"
    assert simulate.name_variant("Dmitry") == "Dmitri"
    assert simulate.name_variant("March") is None
    assert simulate.title_case("TALKING POINT/BANKAMERICA <BAC> EQUITY OFFER") == (
        "Bankamerica Equity Offer"
    )
    assert simulate.title_case("U.S. GRAIN SALES TO THE USSR") == "U.S. Grain Sales to the USSR"
    assert simulate._swap("pct,", simulate.HOUSE_STYLE) == "percent,"
    assert simulate._swap("U.S.", simulate.HOUSE_STYLE) == "US"
    assert simulate._swap("(mln", simulate.HOUSE_STYLE) == "(million"
    assert simulate._respell("organizations,", "uk") == "organisations,"
    assert simulate._respell("labour", "us") == "labor"


def test_sentences_and_paragraphs() -> None:
    text = "The U.S. Corp. said so. Mr. Smith agreed!\n    Next para here. It ends."
    blocks = simulate.parse_blocks(text)
    sentences = [" ".join(t.text for t in s) for b in blocks for s in b.sentences]
    assert sentences == ["The U.S. Corp. said so.", "Mr. Smith agreed!", "Next para here.",
                         "It ends."]  # fmt: skip
    assert all(text[t.src[0] : t.src[1]] == t.text for b in blocks for s in b.sentences for t in s
               if t.src)  # fmt: skip


def test_hard_wrap_respects_the_column() -> None:
    blocks = simulate.parse_blocks(TEXTS["OPEC EXTENDS OUTPUT CEILING"])
    rendered = simulate.render(blocks, TEXTS["OPEC EXTENDS OUTPUT CEILING"], wrap=60)
    assert max(len(line) for line in rendered.text.splitlines()) <= 60
    assert squash(rendered.text) == squash(TEXTS["OPEC EXTENDS OUTPUT CEILING"])
    assert len(rendered.runs) == 1  # one verbatim run, whatever the wrapping
