"""How good dedup's answers are, on real corpora and on simulated syndication.

    python benchmarks/quality.py                     # every corpus, one table
    python benchmarks/quality.py --corpus ecb        # one corpus (seeds, ecb, clough,
                                                     #   clough-profile, reuters, sim)
    python benchmarks/quality.py --json out.json     # the same figures for machines
    python benchmarks/quality.py --grid              # shingle size x threshold, to choose defaults

Corpora are read from ../shared/data (see its README); a missing corpus is skipped with a
message. Nothing is copied into the repository.
"""

from __future__ import annotations

import argparse
import collections
import csv
import functools
import itertools
import json
import resource
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import attrs

sys.path.insert(0, str(Path(__file__).resolve().parent))

import dedup
from dedup.model import Relation

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"
SEEDS = REPO / "seeds"
COPY = {Relation.EXACT_DUPLICATE, Relation.NEAR_DUPLICATE, Relation.CONTAINED}
LOOSER = {Relation.REWRITE, Relation.PARTIAL_REUSE, Relation.SAME_STORY}
#: The relations that say one text was written from the other.
DERIVED = COPY | {Relation.REWRITE, Relation.PARTIAL_REUSE}
Figures = dict[str, Any]


class Missing(Exception):  # noqa: N818 - reads as "corpus missing"
    """A corpus is not there; the run goes on without it."""


def _scan(docs: Sequence[dedup.Document], config: dedup.ScanConfig) -> dedup.ScanResult:
    return dedup.scan_documents(docs, config)


def _copies_only(config: dedup.ScanConfig) -> dedup.ScanConfig:
    """The config without the story tier: copy figures do not depend on it, and it is faster."""
    return attrs.evolve(config, story=False)


def _labels(result: dedup.ScanResult) -> dict[str, str]:
    return {m: f.id for f in result.families for m in f.members}


# --- seeds ---------------------------------------------------------------------------------


def seeds(config: dedup.ScanConfig) -> Figures:
    """The relations of ../shared/design/seeds-truth.md that this version claims, pass/fail."""
    result = dedup.scan([SEEDS], config)
    pairs = {(p.a[:3], p.b[:3]): p for p in result.pairs if p.relation in COPY}
    looser = {(p.a[:3], p.b[:3]): p.relation for p in result.pairs if p.relation in LOOSER}
    families = sorted(tuple(m[:3] for m in f.members) for f in result.families)
    near = pairs.get(("001", "002"))
    checks = {
        "001-002 near-duplicate, J >= 0.9": bool(
            near and near.relation is Relation.NEAR_DUPLICATE and near.jaccard >= 0.9
        ),
        "exactly one copy pair": len(pairs) == 1,
        "000, 003, 004 in no copy pair": not any(
            {"000", "003", "004"} & set(key) for key in pairs
        ),
        "families {001,002} + 3 singletons": families
        == [("000",), ("001", "002"), ("003",), ("004",)],
    }
    if config.story:
        stories = sorted(tuple(m[:3] for m in f.members) for f in result.stories)
        checks.update({
            "000-001, 000-002 same-story": looser.get(("000", "001")) is Relation.SAME_STORY
            and looser.get(("000", "002")) is Relation.SAME_STORY,
            "000-004 partial-reuse": looser.get(("000", "004")) is Relation.PARTIAL_REUSE,
            "nothing claimed about 003": not any("003" in key for key in looser),
            "stories {000,001,002}, {003}, {004}": stories
            == [("000", "001", "002"), ("003",), ("004",)],
        })
    return {"documents": len(result.documents), "checks": checks,
            "passed": sum(checks.values()), "of": len(checks)}


# --- ECB+ ----------------------------------------------------------------------------------


def _ecb_documents() -> tuple[list[dedup.Document], dict[str, tuple[int, str]]]:
    path = DATA / "ecb_plus" / "ecbplus_docs.jsonl"
    if not path.exists():
        raise Missing(str(path))
    docs, labels = [], {}
    for line in path.open(encoding="utf-8"):
        row = json.loads(line)
        docs.append(dedup.Document(id=row["doc_id"], text=row["text"]))
        labels[row["doc_id"]] = (row["topic"], row["subtopic"])
    return docs, labels


def ecb(config: dedup.ScanConfig) -> Figures:
    """Copy relations claimed between independent write-ups (should be none across events)."""
    docs, labels = _ecb_documents()
    result = _scan(docs, config)
    where: collections.Counter[str] = collections.Counter()
    within, suspect = [], []
    texts = {doc.id: doc.text for doc in docs}
    for pair in (p for p in result.pairs if p.relation in COPY):
        (topic_a, sub_a), (topic_b, sub_b) = labels[pair.a], labels[pair.b]
        kind = "same subtopic" if sub_a == sub_b else (
            "same topic, other subtopic" if topic_a == topic_b else "other topic")
        where[kind] += 1
        if kind == "same subtopic":
            line = f"{pair.a}~{pair.b} {pair.relation} J={pair.jaccard:.2f}"
            backed = _verbatim_share(texts[pair.a], texts[pair.b]) >= 0.5
            (within if backed else suspect).append(line)
    return {"documents": len(result.documents),
            "copies across subtopics": where["same topic, other subtopic"] + where["other topic"],
            "copies within a subtopic": where["same subtopic"],
            "  of which backed by long verbatim runs": len(within),
            "  of which not (suspect)": len(suspect),
            "suspect within-subtopic pairs": suspect[:10],
            **(_ecb_stories(result, labels) if config.story else {})}


def _ecb_kind(labels: dict[str, tuple[int, str]], a: str, b: str) -> str:
    (topic_a, sub_a), (topic_b, sub_b) = labels[a], labels[b]
    if sub_a == sub_b:
        return "same subtopic"
    return "same topic, other subtopic" if topic_a == topic_b else "other topic"


def _ecb_stories(result: dedup.ScanResult, labels: dict[str, tuple[int, str]]) -> Figures:
    """Same-story pairs and story families against sub-topics (one sub-topic = one event)."""
    claims: collections.Counter[tuple[str, str]] = collections.Counter()
    for pair in result.pairs:
        if pair.relation in LOOSER:
            claims[(str(pair.relation), _ecb_kind(labels, pair.a, pair.b))] += 1
    true_pairs = sum(n * (n - 1) // 2 for n in collections.Counter(
        labels[d.id][1] for d in result.documents).values())
    story = claims[("same-story", "same subtopic")]
    said = sum(n for (rel, _), n in claims.items() if rel == "same-story")
    grouped = collections.Counter(
        (f.id, labels[m][1]) for f in result.stories for m in f.members)
    family_tp = sum(n * (n - 1) // 2 for n in grouped.values())
    family_said = sum(len(f.members) * (len(f.members) - 1) // 2 for f in result.stories)
    import metrics

    truth = {d.id: labels[d.id][1] for d in result.documents}
    story_of = {m: f.id for f in result.stories for m in f.members}
    across = sum(1 for p in result.pairs if p.relation in COPY | {Relation.REWRITE}
                 and labels[p.a][1] != labels[p.b][1])
    b3 = metrics.bcubed(story_of, truth)
    alone = metrics.bcubed({d: d for d in truth}, truth)
    by_topic = metrics.bcubed({d: labels[d][0] for d in truth}, truth)
    return {
        "copy or rewrite claims across subtopics": across,
        "story family B-cubed P / R / F1": "{:.3f} / {:.3f} / {:.3f}".format(*b3),
        "  baseline, every document alone": "{:.3f} / {:.3f} / {:.3f}".format(*alone),
        "  baseline, one family per topic": "{:.3f} / {:.3f} / {:.3f}".format(*by_topic),
        "same-story pair precision": round(story / said, 3) if said else 1.0,
        "same-story pair recall": round(story / true_pairs, 3),
        "story family pairwise precision": round(family_tp / family_said, 3)
        if family_said else 1.0,
        "story family pairwise recall": round(family_tp / true_pairs, 3),
        "looser claims by where": {
            f"{rel}, {kind}": n for (rel, kind), n in sorted(claims.items())},
    }


_LONG_RUNS = dedup.ScanConfig(sketch=dedup.SketchParams(shingle=dedup.ShingleConfig(size=8)))


def _verbatim_share(text_a: str, text_b: str) -> float:
    """Share of the smaller text's word 8-grams found in the other: long runs mean a real copy."""
    score = dedup.compare(text_a, text_b, _LONG_RUNS)
    return max(score.containment.a_in_b, score.containment.b_in_a)


# --- Clough & Stevenson --------------------------------------------------------------------

# Published figures on this corpus exist (Clough & Stevenson 2011, Lang. Resources & Evaluation
# 45:5-24, n-gram containment and LCS features with a Naive Bayes classifier), but this offline
# workplace could not verify the numbers, so none is printed rather than a remembered one.
CLASSES = ("cut", "light", "heavy", "non")
PUBLISHED = ("not verified here: the paper's results section could not be read from this "
             "workplace, so no figure is printed (docs/quality.md)")


def _clough_rows() -> list[dict[str, str]]:
    index = DATA / "clough_stevenson" / "file_information.csv"
    if not index.exists():
        raise Missing(str(index))
    return list(csv.DictReader(index.open(encoding="utf-8")))


def _read_cs(name: str) -> str:
    return (DATA / "clough_stevenson" / name).read_text(encoding="latin-1")


def clough(config: dedup.ScanConfig) -> Figures:
    """Derived (cut/light/heavy) vs non, at the defaults, and a 4-way call from the scores."""
    rows = _clough_rows()
    sources = {r["Task"]: r["File"] for r in rows if r["Category"] == "orig"}
    answers = [r for r in rows if r["Category"] in CLASSES]
    derived = _clough_scan_calls(answers, sources, _copies_only(config), COPY)
    truth = {r["File"]: r["Category"] != "non" for r in answers}
    prf = _prf(truth, derived)
    if config.story:
        prf.update(_clough_whole(answers, sources, config))
    scores = {r["File"]: dedup.compare(_read_cs(r["File"]), _read_cs(sources[r["Task"]]), config)
              for r in answers}
    accuracy = _four_way_accuracy(answers, scores)
    by_score = _derived_by_score(answers, scores)
    return {"documents": len(answers) + len(sources), **prf,
            "derived F1 from containment (leave-one-task-out)": _prf(truth, by_score)["derived F1"],
            "4-way accuracy (leave-one-task-out)": accuracy}


def _clough_whole(
    answers: Sequence[dict[str, str]], sources: dict[str, str], config: dedup.ScanConfig
) -> Figures:
    """The whole corpus scanned at once at ``config``: each answer's relation to its task's
    source, derived (copies, rewrite, partial reuse) against the truth, and answer-answer
    claims."""
    names = [*sources.values(), *(r["File"] for r in answers)]
    result = _scan([dedup.Document(id=n, text=_read_cs(n)) for n in names], config)
    relation = {(p.a, p.b): p.relation for p in result.pairs}
    truth = {r["File"]: r["Category"] != "non" for r in answers}
    family = _labels(result)
    said: dict[str, Relation | str | None] = {}
    for r in answers:
        source, answer = sources[r["Task"]], r["File"]
        said[answer] = relation.get((min(source, answer), max(source, answer)))
        if said[answer] is None and family[answer] == family[source]:
            said[answer] = "in the source's copy family"
    derived = {a: said[a] in DERIVED or said[a] == "in the source's copy family" for a in said}
    by_class: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for r in answers:
        by_class[r["Category"]][str(said[r["File"]] or "none")] += 1
    category = {r["File"]: r["Category"] for r in answers}
    derived_both = sum(1 for (a, b), rel in relation.items() if a in category and b in category
                       and category[a] != "non" and category[b] != "non" and rel in DERIVED)
    scores = _prf(truth, derived)
    return {
        "whole corpus at once: derived F1 (copies, rewrite, partial-reuse)": scores["derived F1"],
        "  precision / recall": f"{scores['derived precision']} / {scores['derived recall']}",
        "  relation to the source, by class": {k: dict(v) for k, v in sorted(by_class.items())},
        "  derivation claims between two derived answers": derived_both,
    }


def _clough_scan_calls(
    answers: Sequence[dict[str, str]],
    sources: dict[str, str],
    config: dedup.ScanConfig,
    relations: set[Relation],
) -> dict[str, bool]:
    """For each answer: did a scan of its task's folder pair it with the source by one of
    ``relations``?"""
    calls: dict[str, bool] = {}
    for task, source in sources.items():
        names = [source] + [r["File"] for r in answers if r["Task"] == task]
        result = _scan([dedup.Document(id=n, text=_read_cs(n)) for n in names], config)
        linked = {p.a if p.b == source else p.b for p in result.pairs
                  if source in (p.a, p.b) and p.relation in relations}
        calls.update({n: n in linked for n in names[1:]})
    return calls


def _prf(truth: dict[str, bool], predicted: dict[str, bool]) -> Figures:
    tp = sum(truth[k] and predicted[k] for k in truth)
    fp = sum(predicted[k] and not truth[k] for k in truth)
    fn = sum(truth[k] and not predicted[k] for k in truth)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"derived precision": round(precision, 3), "derived recall": round(recall, 3),
            "derived F1": round(f1, 3)}


def _derived_by_score(
    answers: Sequence[dict[str, str]], scores: dict[str, Any]
) -> dict[str, bool]:
    """Derived when answer-in-source containment passes a cut fitted on the other four tasks."""
    calls = {}
    for task in sorted({r["Task"] for r in answers}):
        train = [(_containment(scores[r["File"]]), r["Category"] != "non") for r in answers
                 if r["Task"] != task]
        cut = max((c / 100 for c in range(101)),
                  key=lambda c: sum((v >= c) == label for v, label in train))
        calls.update({r["File"]: _containment(scores[r["File"]]) >= cut
                      for r in answers if r["Task"] == task})
    return calls


def _containment(score: dedup.Comparison) -> float:
    return score.containment.a_in_b


def _four_way_accuracy(answers: Sequence[dict[str, str]], scores: dict[str, Any]) -> float:
    """Thresholds on answer-in-source containment, fitted on four tasks, tested on the fifth."""
    correct = 0
    for task in sorted({r["Task"] for r in answers}):
        train = [(_containment(scores[r["File"]]), r["Category"]) for r in answers
                 if r["Task"] != task]
        cuts = _fit_thresholds(train)
        test = [r for r in answers if r["Task"] == task]
        correct += sum(_call(_containment(scores[r["File"]]), cuts) == r["Category"] for r in test)
    return round(correct / len(answers), 3)


def _call(value: float, cuts: tuple[float, float, float]) -> str:
    for label, cut in zip(CLASSES[:3], cuts, strict=True):
        if value >= cut:
            return label
    return "non"


def _fit_thresholds(train: Sequence[tuple[float, str]]) -> tuple[float, float, float]:
    grid = [i / 50 for i in range(51)]
    best, best_hits = (1.0, 1.0, 1.0), -1
    for cuts in itertools.combinations(reversed(grid), 3):
        hits = sum(_call(v, cuts) == label for v, label in train)  # type: ignore[arg-type]
        if hits > best_hits:
            best, best_hits = cuts, hits  # type: ignore[assignment]
    return best


# --- Clough & Stevenson: derivation profiles ----------------------------------------------


@attrs.frozen
class Profile:
    """How an answer derives from its source, as shares of the answer's words.

    ``verbatim`` and ``edited`` come from the passage alignment (``dedup.align``), ``sentences``
    is the share inside sentences paired by the paraphrase alignment (``dedup.align_sentences``).
    """

    verbatim: float
    edited: float
    sentences: float

    @property
    def related(self) -> float:
        """Share matched to the source by either alignment (a lower bound of their union)."""
        return max(self.verbatim + self.edited, self.sentences)

    @property
    def new(self) -> float:
        """Share with no counterpart in the source."""
        return max(0.0, 1.0 - self.related)

    @property
    def kept(self) -> float:
        """Of the part that corresponds to the source, the share kept word for word."""
        return self.verbatim / self.related if self.related else 0.0


@attrs.frozen
class ProfileRule:
    """Derived when enough of the answer corresponds to the source; then cut, light or heavy by
    how much of that part is verbatim."""

    derived: float
    cut: float
    light: float

    def is_derived(self, profile: Profile) -> bool:
        return profile.related >= self.derived

    def call(self, profile: Profile) -> str:
        if not self.is_derived(profile):
            return "non"
        if profile.kept >= self.cut:
            return "cut"
        return "light" if profile.kept >= self.light else "heavy"

    def __str__(self) -> str:
        return (f"derived if related >= {self.derived:.2f}; then cut if kept >= {self.cut:.2f}, "
                f"light if kept >= {self.light:.2f}, else heavy")


_GRID = tuple(i / 50 for i in range(51))


def _centre_of_best(
    candidates: Sequence[tuple[float, ...]], hits: Callable[[tuple[float, ...]], int]
) -> tuple[float, ...]:
    """The candidate with the most hits; among ties, the one nearest their mean (the middle of
    the tied range, so cut-offs sit between the classes rather than against one of them)."""
    scored = [(hits(c), c) for c in candidates]
    top = max(score for score, _ in scored)
    tied = [c for score, c in scored if score == top]
    mean = [sum(values) / len(tied) for values in zip(*tied, strict=True)]
    return min(tied, key=lambda c: sum((x - m) ** 2 for x, m in zip(c, mean, strict=True)))


def fit_profile_rule(train: Sequence[tuple[Profile, str]]) -> ProfileRule:
    """Cut-offs that classify ``train`` (profile, category) best: the derived cut-off on the
    derived/non call, then the two verbatim cut-offs on the derived answers alone."""
    (derived,) = _centre_of_best(
        [(c,) for c in _GRID],
        lambda c: sum((p.related >= c[0]) == (label != "non") for p, label in train))
    kept = [(p.kept, label) for p, label in train if label != "non"]

    def graded(cuts: tuple[float, ...], value: float) -> str:
        return "cut" if value >= cuts[0] else "light" if value >= cuts[1] else "heavy"

    cut, light = _centre_of_best(
        [(c, light) for c in _GRID for light in _GRID if light <= c],
        lambda cuts: sum(graded(cuts, value) == label for value, label in kept))
    return ProfileRule(derived=derived, cut=cut, light=light)


def _cs_profile(answer: str, source: str, config: dedup.ScanConfig) -> Profile:
    passages = dedup.align(answer, source, config.align, normalize_config=config.normalize)
    sentences = dedup.align_sentences(answer, source, config.align,
                                      normalize_config=config.normalize)
    return Profile(verbatim=passages.coverage.a.verbatim, edited=passages.coverage.a.edited,
                   sentences=sentences.coverage.a.total)


def _confusion(truth: dict[str, str], called: dict[str, str]) -> list[str]:
    counts = collections.Counter((truth[k], called[k]) for k in truth)
    lines = ["truth \\ call " + "".join(f"{c:>7}" for c in CLASSES)]
    lines += [f"{t:<13}" + "".join(f"{counts[(t, c)]:>7}" for c in CLASSES) for t in CLASSES]
    return lines


def clough_profile(config: dedup.ScanConfig) -> Figures:
    """Derived/non and cut/light/heavy/non from each answer's derivation profile against its
    source, cut-offs fitted on four tasks and tested on the fifth (leave-one-task-out)."""
    rows = _clough_rows()
    sources = {r["Task"]: _read_cs(r["File"]) for r in rows if r["Category"] == "orig"}
    answers = [r for r in rows if r["Category"] in CLASSES]
    profiles = {r["File"]: _cs_profile(_read_cs(r["File"]), sources[r["Task"]], config)
                for r in answers}
    truth = {r["File"]: r["Category"] for r in answers}
    called: dict[str, str] = {}
    rules: dict[str, str] = {}
    for task in sorted(sources):
        rule = fit_profile_rule([(profiles[r["File"]], r["Category"]) for r in answers
                                 if r["Task"] != task])
        rules[f"task {task} held out"] = str(rule)
        called.update({r["File"]: rule.call(profiles[r["File"]])
                       for r in answers if r["Task"] == task})
    derived = _prf({k: v != "non" for k, v in truth.items()},
                   {k: v != "non" for k, v in called.items()})
    whole = fit_profile_rule([(profiles[k], v) for k, v in truth.items()])
    return {
        "documents": len(answers) + len(sources),
        "published (Clough & Stevenson 2011)": PUBLISHED,
        "derived vs non, precision / recall / F1": "{derived precision} / {derived recall} / "
        "{derived F1}".format(**derived),
        "derived vs non, accuracy": _accuracy(
            {k: v != "non" for k, v in truth.items()}, {k: v != "non" for k, v in called.items()}),
        "4-way accuracy": _accuracy(truth, called),
        "confusion": _confusion(truth, called),
        "rule fitted on the other four tasks": rules,
        "rule fitted on all five (for reading, not scored)": str(whole),
        "median profile by category": _median_profiles(truth, profiles),
        "derived/non misses": [
            f"{k} {truth[k]} -> {called[k]}: verbatim {p.verbatim:.2f} edited {p.edited:.2f} "
            f"sentences {p.sentences:.2f}"
            for k, p in sorted(profiles.items())
            if (truth[k] == "non") != (called[k] == "non")],
    }


def _accuracy(truth: dict[str, Any], called: dict[str, Any]) -> float:
    hits = sum(1 for k in truth if truth[k] == called[k])
    return round(hits / len(truth), 3)


def _median_profiles(truth: dict[str, str], profiles: dict[str, Profile]) -> dict[str, str]:
    import statistics

    out = {}
    for category in CLASSES:
        group = [profiles[k] for k, v in truth.items() if v == category]
        med = {name: statistics.median(getattr(p, name) for p in group)
               for name in ("verbatim", "edited", "sentences", "related", "kept")}
        out[category] = " ".join(f"{name} {value:.2f}" for name, value in med.items())
    return out


# --- Reuters -------------------------------------------------------------------------------


def _reuters_documents() -> list[dedup.Document]:
    root = DATA / "reuters21578"
    if not any(root.glob("reut2-*.sgm")):
        raise Missing(str(root))
    from reuters_to_jsonl import stories

    return [dedup.Document(id=s["id"], text=s["text"], metadata={"title": s["title"]})
            for s in stories(root) if s["text"]]


def reuters(config: dedup.ScanConfig) -> Figures:
    """Exact-duplicate recall (must be 1.0), family sizes, the largest families' titles."""
    docs = _reuters_documents()
    result = _scan(docs, _copies_only(config))
    family_of = _labels(result)
    bodies: dict[str, list[str]] = collections.defaultdict(list)
    for doc in docs:
        if doc.text != doc.metadata["title"]:
            bodies[doc.text].append(doc.id)
    twins = [ids for ids in bodies.values() if len(ids) > 1]
    together = sum(len(g) for g in twins if len({family_of.get(i) for i in g}) == 1)
    sizes = collections.Counter(len(f.members) for f in result.families if len(f.members) > 1)
    titles = {d.id: d.metadata["title"] for d in docs}
    figures = {"documents": len(result.documents),
               "exact-duplicate recall": round(together / sum(len(g) for g in twins), 4),
               "families by size": dict(sorted(sizes.items())),
               "largest families": [[titles[m][:50] for m in f.members[:4]]
                                    for f in result.families[:10]]}
    if config.story:
        figures.update(_reuters_stories_figures(docs, config, titles))
    return figures


def _reuters_stories_figures(
    docs: Sequence[dedup.Document], config: dedup.ScanConfig, titles: dict[str, str]
) -> Figures:
    """The default scan's story families (the ten largest, with every member's title, to read)
    and the pairs that meet the ``contained`` rule but carry a looser label (must be none)."""
    result = _scan(docs, attrs.evolve(config, lineage=False))
    rule = [p for p in result.pairs if p.jaccard >= config.min_jaccard
            and max(p.containment.a_in_b, p.containment.b_in_a) >= config.containment_threshold]
    stories = sorted((f for f in result.stories if len(f.members) > 1),
                     key=lambda f: (-len(f.members), f.members))
    return {
        "pairs by relation": dict(collections.Counter(str(p.relation) for p in result.pairs)),
        "pairs meeting the contained rule labelled otherwise": sum(
            p.relation not in COPY for p in rule),
        "story families by size": dict(sorted(collections.Counter(
            len(f.members) for f in stories).items())),
        "largest story families": [
            f"{f.id} ({len(f.members)}, cohesion {f.cohesion:.2f}): "
            + " | ".join(titles[m][:40] for m in f.members)
            for f in stories[:10]],
        "boilerplate set aside": [f"{b.documents} x {b.text[:60]}" for b in result.boilerplate],
    }


# --- simulated syndication -----------------------------------------------------------------

STRENGTHS = (0.0, 0.25, 0.5, 0.75, 1.0)


def simulated(config: dedup.ScanConfig, strengths: Iterable[float] = STRENGTHS) -> Figures:
    """Pairwise P/R/F1 of copy families and ARI against the simulator's truth, by edit strength."""
    import metrics

    out: Figures = {}
    for strength in strengths:
        docs, truth = _simulated_corpus(strength)
        predicted = _labels(_scan(docs, _copies_only(config)))
        prf = metrics.pairwise_prf(predicted, truth)
        out[f"strength {strength}"] = {
            "documents": len(docs), "precision": round(prf.precision, 3),
            "recall": round(prf.recall, 3), "F1": round(prf.f1, 3),
            "ARI": round(metrics.adjusted_rand_index(predicted, truth), 3)}
    return out


@functools.cache
def _simulated_corpus(strength: float) -> tuple[list[dedup.Document], dict[str, str]]:
    """Documents and true families of one simulated corpus (seeded, made once per run)."""
    import simulate

    root = DATA / "reuters21578"
    if not root.exists():
        raise Missing(str(root))
    corpus = simulate.simulate(_reuters_stories(), n_stories=200, n_distractors=1000,
                               strength=strength, seed=1)
    docs = [dedup.Document(id=d["id"], text=d["text"]) for d in corpus.documents]
    return docs, {doc.id: corpus.truth["families"][doc.id] for doc in docs}


@functools.cache
def _reuters_stories() -> list[Any]:
    import simulate

    return simulate.load_reuters_stories(DATA / "reuters21578")


# --- the run -------------------------------------------------------------------------------

CORPORA: dict[str, Callable[[dedup.ScanConfig], Figures]] = {
    "seeds": seeds, "ecb": ecb, "clough": clough, "clough-profile": clough_profile,
    "reuters": reuters, "sim": simulated,
}
#: Not swept by ``--grid``: Reuters is slow, the profiles do not use the shingle settings.
NOT_IN_GRID = {"reuters", "clough-profile"}


def run(names: Sequence[str], config: dedup.ScanConfig, quiet: bool = False) -> Figures:
    """Figures per corpus, with seconds; a missing corpus is reported, not fatal."""
    report: Figures = {}
    for name in names:
        started = time.perf_counter()
        try:
            figures = CORPORA[name](config)
        except Missing as missing:
            if not quiet:
                print(f"{name}: skipped, corpus not found at {missing}", file=sys.stderr)
            continue
        figures["seconds"] = round(time.perf_counter() - started, 1)
        report[name] = figures
    report["peak memory MiB"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return report


def print_table(report: Figures) -> None:
    for name, figures in report.items():
        if not isinstance(figures, dict):
            print(f"{name}: {figures}")
            continue
        print(f"== {name}")
        for key, value in figures.items():
            if isinstance(value, dict):
                print(f"   {key}:")
                for k, v in value.items():
                    print(f"      {k}: {v}")
            elif isinstance(value, list):
                print(f"   {key}:")
                for item in value:
                    print(f"      {item}")
            else:
                print(f"   {key}: {value}")


def _config(ngram: int, threshold: float, containment: float) -> dedup.ScanConfig:
    return attrs.evolve(
        dedup.ScanConfig(), story=False, threshold=threshold, containment_threshold=containment,
        lsh=dedup.LshParams(threshold=round(min(0.4, threshold) * 0.8, 2)),
        sketch=dedup.SketchParams(shingle=dedup.ShingleConfig(size=ngram)))


def grid(names: Sequence[str]) -> None:
    """Key figures for each shingle size and thresholds, to choose the defaults."""
    for ngram, threshold, containment in itertools.product(
        (2, 3, 4, 5), (0.4, 0.5, 0.6, 0.7), (0.5, 0.6, 0.7, 0.8)
    ):
        config = _config(ngram, threshold, containment)
        report = run([n for n in names if n != "sim"], config, quiet=True)
        if "sim" in names:
            report["sim"] = simulated(config, strengths=(0.5, 1.0))
        line = [f"n={ngram} t={threshold} c={containment}"]
        if "seeds" in report:
            line.append(f"seeds {report['seeds']['passed']}/{report['seeds']['of']}")
        if "ecb" in report:
            line.append(f"ecb x={report['ecb']['copies across subtopics']} "
                        f"in={report['ecb']['copies within a subtopic']}")
        if "clough" in report:
            line.append(f"cs F1={report['clough']['derived F1']}")
        for key, value in report.get("sim", {}).items():
            if isinstance(value, dict):
                line.append(f"{key.split()[-1]}: F1={value['F1']} ARI={value['ARI']}")
        print(" | ".join(line), flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", action="append", choices=sorted(CORPORA),
                        help="only this corpus (repeatable)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the figures here")
    parser.add_argument("--grid", action="store_true", help="sweep shingle size and threshold")
    args = parser.parse_args()
    names = args.corpus or list(CORPORA)
    if args.grid:
        grid([n for n in names if n not in NOT_IN_GRID])
        return 0
    report = run(names, dedup.ScanConfig())
    print_table(report)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
