"""Lineage on real labelled corpora: the direction model's fit, its leave-one-corpus-out
validation, and direction / parent / root accuracy and calibration beside three baselines.

    python benchmarks/lineage_real.py                 # evaluate (about 2 minutes)
    python benchmarks/lineage_real.py --fit           # also print the weights fitted on all
    python benchmarks/lineage_real.py --data PATH     # the corpora (default $DEDUP_DATA or
                                                      # ../shared/data beside the repo)

Corpora and their truth (each a set of *groups*: texts of one story with a known parent each):

- **cs** (Clough & Stevenson): per task, the Wikipedia source and its cut / light / heavy
  answers; every answer's parent is the source (answers written independently are left out).
- **arxiv** (arXivEdits): each sentence pair, sentence-1 (version k-1) -> sentence-2 (version k).
- **reuters** (Reuters-21578): stories of one day or two that share most of their body
  (word 5-gram Jaccard >= 0.5 or one 80 % inside the other; identical bodies and bodies under 30
  words left out): re-sends, corrections and updates. The later ``<DATE>`` derives from the
  earlier, each story's parent is the one before it. ``reuters`` keeps the dates in the
  metadata as a scan of a dated archive would; ``reuters-nodate`` drops them (text alone).
- **sim** (benchmarks/simulate.py): simulated syndication, no dates: trimmed wire copies,
  aggregators.

The direction model is the logistic model of ``dedup/lineage/weights.py`` over the named
antisymmetric features of ``dedup/lineage/evidence.py``, without intercept, fitted with every
corpus weighted alike (``reuters-nodate`` is not a corpus of its own in the fit). Held out:
each corpus is predicted by the model fitted on the others (leave one corpus out).
Baselines: "longer is newer", "more contained is older" (the text whose words are more inside
the other's), and the nearest-neighbour tree (each text's parent is its most similar text by
word-trigram Jaccard, rooted at the longest text). The tree baselines break ties of length or
similarity by the texts' content (a digest), never by name: arXivEdits' ids end in "-old" and
"-new", and an id tie-break would hand a baseline the answer.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import html
import itertools
import json
import math
import os
import re
import sys
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import attrs
import numpy as np
import numpy.typing as npt

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import dedup  # noqa: E402
from dedup.lineage import (  # noqa: E402
    EVIDENCE_NGRAM,
    boilerplate,
    digest,
    pair_evidence,
    score_pair,
    side,
)
from dedup.lineage.evidence import Side  # noqa: E402
from dedup.lineage.graph import draw  # noqa: E402
from dedup.lineage.siblings import discount_siblings  # noqa: E402
from dedup.lineage.weights import (  # noqa: E402
    DIRECTION,
    HAND_RELATIVE_DATE,
    HAND_SHARED_INNOVATION,
    MODEL_FEATURES,
    model_inputs,
)
from dedup.model import Family, Relation  # noqa: E402

F = npt.NDArray[np.float64]
#: Clough & Stevenson answers derived from the source ("non" answers were written apart).
DERIVED_CATEGORIES = ("cut", "light", "heavy")
FIT_CORPORA = ("cs", "arxiv", "reuters", "sim")
L2 = 1.0
#: The simulator's metadata kept: the outlet and the publication date.
SIM_KEYS = ("outlet", "date")


@attrs.frozen
class Group:
    """Texts of one story and each one's true parent (the root has none)."""

    corpus: str
    documents: tuple[dedup.Document, ...]
    parent: Mapping[str, str]

    def root(self) -> str:
        (top,) = [d.id for d in self.documents if d.id not in self.parent]
        return top

    def derived_pairs(self) -> list[tuple[str, str]]:
        """(ancestor, descendant) for every pair on one line of descent."""
        found = []
        for doc in self.documents:
            node = doc.id
            while node in self.parent:
                node = self.parent[node]
                found.append((node, doc.id))
        return found


# ---------------------------------------------------------------- corpora


def data_root(given: Path | None) -> Path:
    if given is not None:
        return given
    env = os.environ.get("DEDUP_DATA")
    return Path(env) if env else HERE.parent.parent / "shared" / "data"


def clough_stevenson(root: Path) -> list[Group]:
    import csv

    folder = root / "clough_stevenson"
    with (folder / "file_information.csv").open(encoding="utf-8") as rows:
        info = list(csv.DictReader(rows))

    def doc(name: str) -> dedup.Document:
        raw = (folder / name).read_bytes().decode("utf-8", errors="replace")
        return dedup.Document(name, raw)

    groups = []
    for task in sorted({r["Task"] for r in info}):
        source = f"orig_task{task}.txt"
        answers = sorted(
            r["File"] for r in info if r["Task"] == task and r["Category"] in DERIVED_CATEGORIES
        )
        docs = (doc(source), *(doc(a) for a in answers))
        groups.append(Group("cs", docs, {a: source for a in answers}))
    return groups


def arxiv_edits(root: Path) -> list[Group]:
    groups = []
    for split in ("train", "dev", "test"):
        pairs = json.loads((root / "arxivedits_sentence_edits" / f"{split}.json").read_text())
        for key, pair in sorted(pairs.items()):
            old, new = pair["sentence-1"], pair["sentence-2"]
            if old.strip() == new.strip():
                continue
            a, b = f"{split}-{key}-old", f"{split}-{key}-new"
            docs = (dedup.Document(a, old), dedup.Document(b, new))
            groups.append(Group("arxiv", docs, {b: a}))
    return groups


_STORY = re.compile(r"<REUTERS[^>]*NEWID=\"(\d+)\"[^>]*>(.*?)</REUTERS>", re.S)
_WORD = re.compile(r"\w+")


def _field(story: str, tag: str) -> str:
    found = re.search(rf"<{tag}>(.*?)</{tag}>", story, re.S)
    return html.unescape(found.group(1)).replace("\x03", "").strip() if found else ""


def _reuters_time(raw: str) -> dt.datetime | None:
    try:
        return dt.datetime.strptime(raw.split(".")[0].strip(), "%d-%b-%Y %H:%M:%S")
    except ValueError:
        return None


def reuters(root: Path) -> tuple[list[Group], list[Group]]:
    """Groups of stories within two days of each other that share most of their body: with
    their dates in the metadata, and without."""
    stories = []
    for path in sorted((root / "reuters21578").glob("reut2-*.sgm")):
        for newid, raw in _STORY.findall(path.read_text(encoding="latin-1")):
            body, when = _field(raw, "BODY"), _reuters_time(_field(raw, "DATE"))
            if body and when and len(_WORD.findall(body)) >= 30:
                stories.append((when, newid, _field(raw, "TITLE"), body))
    stories.sort()
    pairs = _reuters_pairs([s[3] for s in stories], [s[0] for s in stories])
    dated, undated = [], []
    for members in _components(pairs):
        chain = [stories[i] for i in sorted(members)]
        for dates, groups in ((True, dated), (False, undated)):
            docs = tuple(
                dedup.Document(newid, body, None,
                               {"title": title, **({"date": when.isoformat()} if dates else {})})
                for when, newid, title, body in chain
            )  # fmt: skip
            parent = {docs[k].id: docs[k - 1].id for k in range(1, len(docs))}
            groups.append(Group("reuters" if dates else "reuters-nodate", docs, parent))
    return dated, undated


def _shingles(text: str, n: int) -> set[int]:
    words = _WORD.findall(text.lower())
    return {hash(tuple(words[i : i + n])) for i in range(max(1, len(words) - n + 1))}


def _reuters_pairs(bodies: Sequence[str], times: Sequence[dt.datetime]) -> list[tuple[int, int]]:
    sets = [_shingles(b, 5) for b in bodies]
    postings: dict[int, list[int]] = collections.defaultdict(list)
    for i, found in enumerate(sets):
        for h in found:
            postings[h].append(i)
    shared: collections.Counter[tuple[int, int]] = collections.Counter()
    for ids in postings.values():
        if 1 < len(ids) <= 20:  # a shingle in many stories is a template's, not one story's
            shared.update(itertools.combinations(ids, 2))
    kept = []
    for (i, j), count in shared.items():
        if bodies[i].strip() == bodies[j].strip() or times[i] == times[j]:
            continue
        if abs((times[j] - times[i]).total_seconds()) > 2 * 86400:
            continue
        jaccard = count / len(sets[i] | sets[j])
        if jaccard >= 0.5 or count / min(len(sets[i]), len(sets[j])) >= 0.8:
            kept.append((i, j))
    return kept


def _components(pairs: Sequence[tuple[int, int]]) -> list[set[int]]:
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for i, j in pairs:
        parent[find(i)] = find(j)
    groups: dict[int, set[int]] = collections.defaultdict(set)
    for x in list(parent):
        groups[find(x)].add(x)
    # A component over 8 stories is a series of notices (weekly figures), not one story's versions.
    return [g for g in groups.values() if len(g) <= 8]


def simulated(root: Path) -> list[Group]:
    import simulate

    stories = simulate.load_reuters_stories(root / "reuters21578")
    sim = simulate.simulate(stories, n_stories=40, n_distractors=0, strength=0.5, seed=1)
    parent = {e["target"]: e["source"] for e in sim.truth["edges"]}
    family: dict[str, list[dict[str, str]]] = collections.defaultdict(list)
    for d in sim.documents:
        family[sim.truth["families"][d["id"]]].append(d)
    groups = []
    for _, members in sorted(family.items()):
        ids = {d["id"] for d in members}
        roots = [d for d in members if parent.get(d["id"]) not in ids]
        if len(members) < 2 or len(roots) != 1:
            continue  # the wire is the root of each family; a family without it has no truth
        docs = tuple(
            dedup.Document(d["id"], d["text"], None, {k: d[k] for k in SIM_KEYS if d.get(k)})
            for d in members
        )
        groups.append(Group("sim", docs, {k: v for k, v in parent.items() if k in ids}))
    return groups


# ---------------------------------------------------------------- features


_SIDES: dict[tuple[str, str, str], Side] = {}


def _side(doc: dedup.Document) -> Side:
    """The document's side, kept (metadata in the key: a dated and an undated copy differ)."""
    key = (doc.id, doc.text, json.dumps(dict(doc.metadata), sort_keys=True))
    if key not in _SIDES:
        _SIDES[key] = side(doc, dedup.normalize(doc.text))
    return _SIDES[key]


@attrs.frozen
class Scored:
    """The labelled pairs of one corpus: features of (older, newer), and the baselines' votes."""

    x: F
    longer_newer: F
    contained_older: F


def _baseline_votes(a: Side, b: Side) -> tuple[float, float]:
    """+1 when the baseline says a is the older, -1 the other way, 0 when it cannot tell."""
    la, lb = len(a.normal.tokens), len(b.normal.tokens)
    sa, sb = set(a.normal.tokens), set(b.normal.tokens)
    a_in = len(sa & sb) / max(1, len(sa))
    b_in = len(sa & sb) / max(1, len(sb))
    return float(np.sign(lb - la)), float(np.sign(a_in - b_in))


def scored(groups: Sequence[Group]) -> Scored:
    rows, longer, contained = [], [], []
    for group in groups:
        by_id = {d.id: d for d in group.documents}
        for old, new in group.derived_pairs():
            a, b = _side(by_id[old]), _side(by_id[new])
            found = pair_evidence(a, b, found_boilerplate=BOILERPLATE[group.corpus])
            rows.append(model_inputs(found))
            vote_l, vote_c = _baseline_votes(a, b)
            longer.append(vote_l)
            contained.append(vote_c)
    return Scored(np.array(rows).reshape(-1, len(MODEL_FEATURES)),
                  np.array(longer), np.array(contained))  # fmt: skip


# ---------------------------------------------------------------- fitting


#: Weights not fitted, as dedup/lineage/weights.py explains: no labelled corpus carries these
#: features between derived texts (shared page furniture, look-back phrases between texts
#: written apart), so they are held at their hand-set values while the rest are fitted.
FIXED = {"shared-innovation": HAND_SHARED_INNOVATION, "relative-date": HAND_RELATIVE_DATE}


#: The model inputs a publication time feeds: left out of a dated corpus's undated copy.
DATE_INPUTS = np.array([name in ("date", "date-order") for name in MODEL_FEATURES])


def training_parts(table: Mapping[str, Scored], leave_out: str = "") -> list[F]:
    """The rows the model is fitted on: each of ``FIT_CORPORA`` but ``leave_out``, and of each
    dated corpus an undated copy too (its rows with the date inputs zeroed), so that the text
    evidence is learned for texts without dates rather than left to the date to explain."""
    parts = []
    for name in FIT_CORPORA:
        if name == leave_out:
            continue
        rows = table[name].x
        parts.append(rows)
        if rows[:, DATE_INPUTS].any():
            parts.append(np.where(DATE_INPUTS, 0.0, rows))
    return parts


def fit_direction(parts: Sequence[F], l2: float = L2) -> F:
    """Ridge logistic regression without intercept on the (older, newer) rows of each part,
    mirrored (so the model is antisymmetric), each part weighted alike, the ``FIXED`` weights
    held; Newton steps."""
    fixed = np.array([name in FIXED for name in MODEL_FEATURES])
    held = np.array([FIXED.get(name, 0.0) for name in MODEL_FEATURES])
    x_all = np.vstack([np.vstack([p, -p]) for p in parts])
    offset, x = x_all[:, fixed] @ held[fixed], x_all[:, ~fixed]
    y = np.concatenate([np.r_[np.ones(len(p)), np.zeros(len(p))] for p in parts])
    w = np.concatenate([np.full(2 * len(p), 1.0 / (2 * len(p))) for p in parts])
    ridge = np.eye(x.shape[1]) * l2 / len(parts) / 100
    beta = np.zeros(x.shape[1])
    for _ in range(100):
        p = 1.0 / (1.0 + np.exp(-np.clip(offset + x @ beta, -50, 50)))
        grad = x.T @ (w * (p - y)) + ridge @ beta
        hess = (x * (w * p * (1 - p))[:, None]).T @ x + ridge
        step = np.linalg.solve(hess, grad)
        beta -= step
        if np.abs(step).max() < 1e-9:
            break
    full = held.copy()
    full[~fixed] = beta
    return full


def probabilities(x: F, beta: F) -> F:
    return 1.0 / (1.0 + np.exp(-np.clip(x @ beta, -50, 50)))


def reliability(p_right: F, bins: int = 10) -> tuple[list[tuple[float, float, float, int]], float]:
    """Rows (low, mean confidence, accuracy, count) over confidence bins of the predicted
    direction, and the expected calibration error."""
    confidence = np.maximum(p_right, 1 - p_right)
    right = (p_right > 0.5) + 0.5 * (p_right == 0.5)  # no evidence at all: a coin's toss
    edges = np.linspace(0.5, 1.0, bins + 1)
    rows, ece = [], 0.0
    for lo, hi in itertools.pairwise(edges):
        inside = (confidence >= lo) & ((confidence < hi) | (hi == 1.0))
        if inside.any():
            mean, acc = float(confidence[inside].mean()), float(right[inside].mean())
            rows.append((float(lo), mean, acc, int(inside.sum())))
            ece += inside.sum() / len(confidence) * abs(mean - acc)
    return rows, float(ece)


# ---------------------------------------------------------------- trees


def predicted_tree(group: Group, beta: F) -> dict[str, str]:
    """Each text's parent in the graph dedup draws from every pair of the group."""
    return {e.target: e.source for e in drawn(group, beta, 0.0) if e.primary}


def drawn(group: Group, beta: F, min_confidence: float) -> dedup.Lineage:
    """The lineage dedup draws from every pair of the group, called rewrites."""
    sides = {d.id: _side(d) for d in group.documents}
    candidates = [
        score_pair(
            sides[x],
            sides[y],
            Relation.REWRITE,
            found_boilerplate=BOILERPLATE[group.corpus],
            beta=beta,
        )
        for x, y in itertools.combinations(sorted(sides), 2)
    ]
    candidates = discount_siblings(candidates, sides, EVIDENCE_NGRAM)
    family = Family("f", tuple(sorted(sides)))
    return draw(candidates, [family], min_confidence, 10**6)


def nearest_neighbour_tree(group: Group) -> dict[str, str]:
    """Baseline: each text's parent is its most similar text (word trigrams), the tree rooted
    at the longest text (edges pointed away from it)."""
    sets = {d.id: _shingles(d.text, 3) for d in group.documents}
    texts = by_text(group)
    ids = sorted(sets)
    links: dict[str, set[str]] = collections.defaultdict(set)
    for x in ids:
        others = [y for y in ids if y != x]
        best = max(
            others,
            key=lambda y: (len(sets[x] & sets[y]) / len(sets[x] | sets[y]), digest(texts[y])),
        )
        links[x].add(best)
        links[best].add(x)
    root = max(ids, key=lambda d: (len(_WORD.findall(texts[d])), digest(texts[d])))
    return _orient(links, root)


def length_chain(group: Group) -> dict[str, str]:
    """Baseline: versions sorted by length, each the parent of the next longer one."""
    order = sorted(group.documents, key=lambda d: (len(_WORD.findall(d.text)), digest(d.text)))
    return {order[k].id: order[k - 1].id for k in range(1, len(order))}


def by_text(group: Group) -> dict[str, str]:
    return {d.id: d.text for d in group.documents}


def _orient(links: Mapping[str, set[str]], root: str) -> dict[str, str]:
    parent: dict[str, str] = {}
    seen, frontier = {root}, [root]
    while frontier:
        node = frontier.pop()
        for other in sorted(links.get(node, ())):
            if other not in seen:
                seen.add(other)
                parent[other] = node
                frontier.append(other)
    return parent


def tree_scores(
    groups: Sequence[Group], tree: Mapping[str, Mapping[str, str]]
) -> tuple[float, float]:
    """(parent accuracy over derived texts, root accuracy over groups)."""
    parents = right_parents = roots = 0
    for group in groups:
        found = tree[group_key(group)]
        parents += len(group.parent)
        right_parents += sum(found.get(child) == p for child, p in group.parent.items())
        top = [d.id for d in group.documents if d.id not in found]
        roots += top == [group.root()]
    return right_parents / max(1, parents), roots / max(1, len(groups))


def group_key(group: Group) -> str:
    return group.corpus + ":" + ",".join(d.id for d in group.documents)


# ---------------------------------------------------------------- report


#: Per corpus, the furniture paragraphs found in two or more groups (a site's template, not
#: one page's insertion), as a scan finds them over its whole input.
BOILERPLATE: dict[str, frozenset[str]] = collections.defaultdict(frozenset)


def load(root: Path) -> dict[str, list[Group]]:
    dated, undated = reuters(root)
    groups = {
        "cs": clough_stevenson(root),
        "arxiv": arxiv_edits(root),
        "reuters": dated,
        "reuters-nodate": undated,
        "sim": simulated(root),
    }
    for name, found in groups.items():
        family_of = {d.id: group_key(g) for g in found for d in g.documents}
        sides = [_side(d) for g in found for d in g.documents]
        BOILERPLATE[name] = boilerplate(sides, family_of)
    return groups


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--fit", action="store_true", help="print the weights fitted on all")
    parser.add_argument("--json", type=Path, default=None, help="write the figures here")
    args = parser.parse_args(argv)
    root = data_root(args.data)
    if not (root / "clough_stevenson").is_dir():
        print(f"no corpora under {root} (set --data or DEDUP_DATA)", file=sys.stderr)
        return 1
    groups = load(root)
    table = {name: scored(found) for name, found in groups.items()}
    for name, found in groups.items():
        print(f"{name}: {len(found)} groups, {len(table[name].x)} labelled pairs")
    figures = evaluate(groups, table)
    clough_stevenson_check(groups["cs"])
    if args.fit:
        beta = fit_direction(training_parts(table))
        print("weights fitted on all corpora:")
        for feature, weight in zip(MODEL_FEATURES, beta, strict=True):
            print(f"  {feature:18s} {weight:8.3f}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1))
    return 0


def evaluate(groups: Mapping[str, list[Group]], table: Mapping[str, Scored]) -> dict[str, object]:
    figures: dict[str, object] = {}
    print()
    print(
        "| corpus | pairs | direction: dedup (held out) | longer newer | more contained older "
        "| parent: dedup | length chain | NN tree | root: dedup | length chain | NN tree "
        "| ECE held out |"
    )
    print("| --- " * 12 + "|")
    held_out_p = []
    for name, found in groups.items():
        beta = fit_direction(training_parts(table, leave_out=name.removesuffix("-nodate")))
        p = probabilities(table[name].x, beta)
        held_out_p.append(p)
        _, ece = reliability(p)
        mine = {group_key(g): predicted_tree(g, beta) for g in found}
        chain = {group_key(g): length_chain(g) for g in found}
        nearest = {group_key(g): nearest_neighbour_tree(g) for g in found}
        row = {
            "pairs": len(p),
            "direction": _vote_accuracy(np.sign(p - 0.5)),
            "longer_newer": _vote_accuracy(table[name].longer_newer),
            "contained_older": _vote_accuracy(table[name].contained_older),
            "parent_root": tree_scores(found, mine),
            "chain_parent_root": tree_scores(found, chain),
            "nn_parent_root": tree_scores(found, nearest),
            "ece": ece,
        }
        row["sure_edges"] = sure_edges(found, beta)
        row["sure_pairs"] = sure_pairs(p)
        figures[name] = row
        print(f"| {name} | {row['pairs']} | {row['direction']:.3f} | {row['longer_newer']:.3f} "
              f"| {row['contained_older']:.3f} | {row['parent_root'][0]:.3f} "
              f"| {row['chain_parent_root'][0]:.3f} | {row['nn_parent_root'][0]:.3f} "
              f"| {row['parent_root'][1]:.3f} | {row['chain_parent_root'][1]:.3f} "
              f"| {row['nn_parent_root'][1]:.3f} | {ece:.3f} |")  # fmt: skip
    print(
        "\ngraph edges drawn at confidence >= 0.8 (held-out weights): "
        "how many, the share that is the true parent, the share pointing from an ancestor"
    )
    for name in groups:
        count, parent, ancestor = figures[name]["sure_edges"]  # type: ignore[index]
        pairs, right = figures[name]["sure_pairs"]  # type: ignore[index]
        print(f"  {name}: {count} edges, {parent:.3f} true parent, {ancestor:.3f} right way; "
              f"labelled pairs at >= 0.8: {pairs}, {right:.3f} right")  # fmt: skip
    pooled = np.concatenate(held_out_p)
    rows, ece = reliability(pooled)
    print("\nreliability, held out (all corpora pooled):")
    print("| confidence bin | mean confidence | accuracy | pairs |")
    print("| --- | --- | --- | --- |")
    for lo, mean, acc, n in rows:
        print(f"| {lo:.2f}-{lo + 0.05:.2f} | {mean:.3f} | {acc:.3f} | {n} |")
    sure = np.maximum(pooled, 1 - pooled) >= 0.8
    print(
        f"\nECE pooled held out: {ece:.3f}; at confidence >= 0.8: {int(sure.sum())} pairs, "
        f"{float((pooled[sure] > 0.5).mean()) if sure.any() else math.nan:.3f} right"
    )
    figures["pooled_ece"] = ece
    return figures


def sure_pairs(p_right: F, floor: float = 0.8) -> tuple[int, float]:
    """The labelled pairs whose held-out direction has confidence ``floor`` or more: how many,
    and the share oriented right."""
    sure = np.maximum(p_right, 1 - p_right) >= floor
    return int(sure.sum()), float((p_right[sure] > 0.5).mean()) if sure.any() else math.nan


def sure_edges(groups: Sequence[Group], beta: F) -> tuple[int, float, float]:
    """The document edges drawn at confidence >= 0.8: count, share that is the true parent,
    share whose source is an ancestor of the target."""
    count = parent = ancestor = 0
    for group in groups:
        lineage = drawn(group, beta, 0.8)
        derived = set(group.derived_pairs())
        for edge in lineage:
            if edge.source.startswith("latent:"):
                continue
            count += 1
            parent += group.parent.get(edge.target) == edge.source
            ancestor += (edge.source, edge.target) in derived
    return count, parent / max(1, count), ancestor / max(1, count)


def clough_stevenson_check(groups: Sequence[Group]) -> None:
    """With the shipped weights: source -> answer edges the right way, and answer -> answer
    edges the graph draws above 0.6 (both answers derive from the source)."""
    right = total = siblings = 0
    for group in groups:
        sides = {d.id: _side(d) for d in group.documents}
        for answer in group.parent:
            total += 1
            edge = score_pair(sides[group.root()], sides[answer], Relation.REWRITE).edge
            right += edge.source == group.root()
        lineage = drawn(group, DIRECTION, 0.6)
        siblings += sum(e.source in group.parent and e.target in group.parent for e in lineage)
    print(
        f"\ncs, shipped weights: {right} of {total} source -> answer directions right; "
        f"{siblings} answer -> answer edges drawn at confidence >= 0.6"
    )


def _vote_accuracy(votes: F) -> float:
    """Right votes count 1, ties (the baseline cannot tell) a coin's 0.5."""
    return float(((votes > 0) + 0.5 * (votes == 0)).mean())


def iter_groups(groups: Mapping[str, list[Group]]) -> Iterator[Group]:
    for found in groups.values():
        yield from found


if __name__ == "__main__":
    sys.exit(main())
