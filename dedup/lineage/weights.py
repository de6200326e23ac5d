"""How evidence becomes a confidence: two logistic models over the features of evidence.py.

- direction: P(a -> b | one derives from the other) = sigmoid(DIRECTION . features), no
  intercept, so that swapping the pair gives the complement;
- derivation: P(one derives from the other, not both from a common source) =
  sigmoid(DERIVATION_BIAS + DERIVATION . features).

The weights of date, trimmed, additions and credit-line, and the whole derivation model, were
fitted by ``python benchmarks/lineage_eval.py --fit`` (ridge logistic regression, L2 = 1) on
simulated syndication (benchmarks/simulate.py: seeds 11-13, strengths 0.25-0.75, with and
without the wire, with and without dates), and are checked on other seeds by the same script;
docs/lineage.md has the figures. Two weights are set by hand:

- ``relative-date``: the simulator writes no look-back phrases; one phrase is given a
  confidence of about 0.75;
- ``shared-innovation``: the fit gives it -0.9, because the simulator's aggregators add more
  furniture of their own than the outlet keeps, whereas a copy stripped from a page (the seeds'
  001 from 002) keeps one line and adds nothing. The hand weight (3.0) follows the stemmatic
  argument: the text that still has the rest of a page's furniture is the page.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from dedup.lineage.evidence import Features

#: Per direction feature: date, trimmed, additions, shared-innovation, credit-line, relative-date.
DIRECTION = np.array([5.18, 6.71, 17.06, 3.0, 7.57, 1.1])
#: Per derivation feature: both-trimmed, both-own-furniture, shared-innovation.
DERIVATION = np.array([-3.04, -3.62, -0.39])
DERIVATION_BIAS = 1.11


def sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))


def direction_terms(found: Features) -> npt.NDArray[np.float64]:
    """Each direction feature's contribution to the log-odds of a -> b."""
    return DIRECTION * found.direction()


def direction_probability(found: Features) -> float:
    """P(a -> b | a derivation between the two)."""
    return sigmoid(float(direction_terms(found).sum()))


def derivation_probability(found: Features) -> float:
    """P(one derives from the other rather than both from a common source)."""
    return sigmoid(DERIVATION_BIAS + float(DERIVATION @ found.derivation()))
