"""The derivation-profile rule of benchmarks/quality.py: its shares, its calls, its fitting."""

from __future__ import annotations

import pytest
from quality import Profile, ProfileRule, fit_profile_rule

RULE = ProfileRule(derived=0.3, cut=0.9, light=0.6)


def test_profile_shares() -> None:
    profile = Profile(verbatim=0.4, edited=0.1, sentences=0.8)
    assert profile.related == pytest.approx(0.8)  # the larger of the two alignments
    assert profile.new == pytest.approx(0.2)
    assert profile.kept == pytest.approx(0.5)
    assert Profile(0.0, 0.0, 0.0).kept == 0.0


@pytest.mark.parametrize(
    ("profile", "category"),
    [
        (Profile(verbatim=0.0, edited=0.0, sentences=0.1), "non"),
        (Profile(verbatim=0.98, edited=0.01, sentences=0.9), "cut"),
        (Profile(verbatim=0.3, edited=0.0, sentences=0.3), "cut"),  # a third, copied word for word
        (Profile(verbatim=0.7, edited=0.15, sentences=0.9), "light"),
        (Profile(verbatim=0.2, edited=0.05, sentences=0.7), "heavy"),
    ],
)
def test_rule_calls(profile: Profile, category: str) -> None:
    assert RULE.call(profile) == category
    assert RULE.is_derived(profile) == (category != "non")


def test_fit_puts_cut_offs_between_separable_classes() -> None:
    train = (
        [(Profile(0.0, 0.0, s), "non") for s in (0.0, 0.05, 0.1)]
        + [(Profile(v, 0.0, v), "cut") for v in (0.5, 0.9, 1.0)]  # kept 1.0
        + [(Profile(0.7, 0.2, 0.9), "light"), (Profile(0.6, 0.1, 0.8), "light")]  # kept .75-.78
        + [(Profile(0.2, 0.0, 0.6), "heavy"), (Profile(0.1, 0.0, 0.5), "heavy")]  # kept .2-.33
    )
    rule = fit_profile_rule(train)
    assert all(rule.call(p) == label for p, label in train)
    assert 0.1 < rule.derived <= 0.5  # between the classes, not against one of them
    assert rule.derived == pytest.approx(0.3, abs=0.04)
    assert 0.75 < rule.cut <= 1.0
    assert 0.33 < rule.light <= 0.75
