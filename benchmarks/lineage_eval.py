"""Lineage on simulated syndication: direction and tree accuracy by edit strength, and the fit
of the evidence weights.

    python benchmarks/lineage_eval.py                  # evaluate (seeds 1-2), ~2 min
    python benchmarks/lineage_eval.py --fit            # fit the derivation weights on seeds
                                                       # 11-13, then evaluate (the direction
                                                       # weights: benchmarks/lineage_real.py)
    python benchmarks/lineage_eval.py --json out.json

Corpora come from benchmarks/simulate.py (Reuters-21578 stories; 120 syndicated stories and 100
distractors per corpus) in four settings: with or without the wire in the corpus
(``drop_wire``), and with or without publication dates in the metadata (outlet names are kept:
a news archive knows where each text was published). Figures:

- **direction accuracy**: over the true derivation edges whose two texts the scan reports as a
  copy pair, the share whose direction (P(a -> b) > 0.5 from the evidence) is right;
- **tree accuracy**: the share of derived texts whose primary source in the lineage graph is
  exactly their true source (a latent node when the true source is a dropped wire);
- **edge precision**: the share of the graph's document -> document edges that are true edges;
- **latent**: the share of families (with the wire dropped, 2+ copies found) that get a latent
  source node;
- a **confusion of relations**: the scan's relation for each pair of texts of one true family,
  by their true kind (wire-outlet, outlet-aggregator, siblings, ...).
"""

from __future__ import annotations

import argparse
import collections
import functools
import json
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import attrs
import numpy as np

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import simulate  # noqa: E402

import dedup  # noqa: E402
from dedup.lineage import Side, boilerplate, pair_features, side  # noqa: E402
from dedup.lineage.weights import direction_probability, model_inputs  # noqa: E402
from dedup.model import COPY_RELATIONS  # noqa: E402

DATA = HERE.parent.parent / "shared" / "data"
STRENGTHS = (0.0, 0.25, 0.5, 0.75, 1.0)
EVAL_SEEDS = (1, 2)
FIT_SEEDS = (11, 12, 13)
FIT_STRENGTHS = (0.25, 0.5, 0.75)
CONFIG = dedup.ScanConfig(story=False)


@functools.cache
def _stories() -> list[Any]:
    return simulate.load_reuters_stories(DATA / "reuters21578")


@functools.cache
def corpus(strength: float, seed: int, drop_wire: bool) -> simulate.SimulatedCorpus:
    return simulate.simulate(_stories(), n_stories=120, n_distractors=100, strength=strength,
                             seed=seed, drop_wire=drop_wire)  # fmt: skip


def documents(sim: simulate.SimulatedCorpus, dates: bool) -> list[dedup.Document]:
    keys = ("date", "outlet") if dates else ("outlet",)
    return [
        dedup.Document(id=d["id"], text=d["text"], metadata={k: d[k] for k in keys})
        for d in sim.documents
    ]


def _kind(truth: dict[str, Any], a: str, b: str) -> str:
    """What two texts of one story are to each other in the truth."""
    parent = {e["target"]: e["source"] for e in truth["edges"]}
    if parent.get(b) == a or parent.get(a) == b:
        roles = sorted((truth["roles"][a], truth["roles"][b]))
        return "-".join(roles)
    if parent.get(a) == parent.get(b):
        return "siblings"
    if parent.get(parent.get(b, "")) == a or parent.get(parent.get(a, "")) == b:
        return "grandparent"
    return "cousins"


def evaluate(strength: float, seed: int, drop_wire: bool, dates: bool) -> dict[str, Any]:
    sim = corpus(strength, seed, drop_wire)
    docs = documents(sim, dates)
    result = dedup.scan_documents(docs, CONFIG)
    truth = sim.truth
    present = {d.id for d in docs}
    true_edges = {(e["source"], e["target"]) for e in truth["edges"] if e["target"] in present}
    sides = _sides(docs)
    common = _boilerplate(result, sides)
    reported = {frozenset((p.a, p.b)): p for p in result.pairs if p.relation in COPY_RELATIONS}
    right = seen = 0
    for source, target in true_edges:
        if frozenset((source, target)) in reported:
            seen += 1
            found = pair_features(sides(source), sides(target), found_boilerplate=common)
            right += direction_probability(found) > 0.5
    primary = {e.target: e.source for e in result.lineage if e.primary}
    exact = sum(
        primary.get(t) == s or (s not in present and primary.get(t, "").startswith("latent:"))
        for s, t in true_edges
    )
    doc_edges = [e for e in result.lineage if not e.source.startswith("latent:")]
    families = [f for f in result.families if len(f.members) >= 2]
    latent = {e.source for e in result.lineage if e.source.startswith("latent:")}
    confusion = collections.Counter(
        (_kind(truth, p.a, p.b), p.relation.value)
        for p in result.pairs
        if truth["families"][p.a] == truth["families"][p.b]
    )
    return {
        "direction": right / seen if seen else float("nan"),
        "direction_n": seen,
        "tree": exact / len(true_edges) if true_edges else float("nan"),
        "edge_precision": (
            sum((e.source, e.target) in true_edges for e in doc_edges) / len(doc_edges)
            if doc_edges
            else float("nan")
        ),
        "latent": len(latent) / len(families) if families else float("nan"),
        "confusion": {f"{k} / {r}": n for (k, r), n in sorted(confusion.items())},
    }


def _sides(docs: Sequence[dedup.Document]) -> Any:
    by_id = {d.id: d for d in docs}

    @functools.cache
    def one(doc_id: str) -> Side:
        doc = by_id[doc_id]
        return side(doc, dedup.normalize(doc.text))

    return one


def _boilerplate(result: dedup.ScanResult, sides: Any) -> frozenset[str]:
    """The scan's boilerplate furniture, from the documents of its copy pairs."""
    ids = {d for p in result.pairs for d in (p.a, p.b)}
    family_of = {m: f.id for f in result.families for m in f.members}
    return boilerplate((sides(i) for i in sorted(ids)), family_of)


# --- fitting ---------------------------------------------------------------------------------


def training_rows(seeds: Iterable[int]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Direction rows (features of true edges, both orientations) and derivation rows (every
    reported copy pair of one story: direct or not)."""
    dir_x, dir_y, der_x, der_y = [], [], [], []
    for seed in seeds:
        for strength in FIT_STRENGTHS:
            for drop_wire in (False, True):
                sim = corpus(strength, seed, drop_wire)
                for dates in (False, True):
                    docs = documents(sim, dates)
                    result = dedup.scan_documents(docs, pairs_only(CONFIG))
                    sides = _sides(docs)
                    common = _boilerplate(result, sides)
                    parent = {e["target"]: e["source"] for e in sim.truth["edges"]}
                    for pair in result.pairs:
                        if sim.truth["families"][pair.a] != sim.truth["families"][pair.b]:
                            continue
                        found = pair_features(sides(pair.a), sides(pair.b),
                                              found_boilerplate=common)
                        direct = parent.get(pair.b) == pair.a or parent.get(pair.a) == pair.b
                        der_x.append(found.derivation())
                        der_y.append(float(direct))
                        if direct:
                            sign = 1.0 if parent.get(pair.b) == pair.a else -1.0
                            inputs = model_inputs(found)
                            dir_x += [inputs * sign, -inputs * sign]
                            dir_y += [1.0, 0.0]
    return np.array(dir_x), np.array(dir_y), np.array(der_x), np.array(der_y)


def pairs_only(config: dedup.ScanConfig) -> dedup.ScanConfig:
    """The scan config for fitting: lineage off (only pairs are needed)."""
    return attrs.evolve(config, lineage=False)


def ridge_logistic(x: np.ndarray, y: np.ndarray, l2: float, intercept: bool) -> np.ndarray:
    """Weights (intercept first when asked) by Newton's method with an L2 penalty."""
    if intercept:
        x = np.column_stack([np.ones(len(x)), x])
    w = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], l2)
    if intercept:
        penalty[0] = 0.0
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-(x @ w)))
        gradient = x.T @ (p - y) + penalty * w
        hessian = (x.T * (p * (1 - p))) @ x + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def fit() -> dict[str, list[float]]:
    dir_x, dir_y, der_x, der_y = training_rows(FIT_SEEDS)
    direction = ridge_logistic(dir_x, dir_y, l2=1.0, intercept=False)
    derivation = ridge_logistic(der_x, der_y, l2=1.0, intercept=True)
    print(f"direction rows {len(dir_y)}, derivation rows {len(der_y)} ({der_y.mean():.2f} direct)")
    print("simulator-only direction (not used: dedup's comes from lineage_real.py) =",
          np.round(direction, 2).tolist())
    print("DERIVATION_BIAS =", round(float(derivation[0]), 2))
    print("DERIVATION =", np.round(derivation[1:], 2).tolist())
    return {"direction": direction.tolist(), "derivation": derivation.tolist()}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fit", action="store_true", help="fit the weights first and print them")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--strengths", type=float, nargs="*", default=list(STRENGTHS))
    args = parser.parse_args(argv)
    if not (DATA / "reuters21578").exists():
        print(f"needs {DATA / 'reuters21578'}", file=sys.stderr)
        return 2
    out: dict[str, Any] = {}
    if args.fit:
        out["fit"] = fit()
    print(f"{'strength':>8} {'wire':>7} {'dates':>5} {'direction':>9} {'(n)':>5} {'tree':>6} "
          f"{'edge P':>6} {'latent':>6}")  # fmt: skip
    for strength in args.strengths:
        for drop_wire in (False, True):
            for dates in (True, False):
                runs = [evaluate(strength, s, drop_wire, dates) for s in EVAL_SEEDS]
                row = {k: float(np.nanmean([r[k] for r in runs]))
                       for k in ("direction", "tree", "edge_precision", "latent")}  # fmt: skip
                row["direction_n"] = sum(r["direction_n"] for r in runs)
                wire = "dropped" if drop_wire else "in"
                out[f"{strength}/{wire}/{'dates' if dates else 'no dates'}"] = {
                    **row, "confusion": runs[0]["confusion"]}  # fmt: skip
                print(f"{strength:>8} {wire:>7} {'yes' if dates else 'no':>5} "
                      f"{row['direction']:>9.3f} {row['direction_n']:>5} {row['tree']:>6.3f} "
                      f"{row['edge_precision']:>6.3f} {row['latent']:>6.3f}")  # fmt: skip
    key = "0.5/in/no dates"
    if key in out:
        print("\nrelations by true kind (strength 0.5, wire in, seed 1):")
        for name, count in out[key]["confusion"].items():
            print(f"  {name:<45} {count:>5}")
    if args.json:
        args.json.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
