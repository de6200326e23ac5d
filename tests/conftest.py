"""Hypothesis profiles; choose one with HYPOTHESIS_PROFILE=ci|dev|thorough (default: dev)."""

from __future__ import annotations

import os

from hypothesis import settings

# ci is derandomised so that a CI failure reproduces on every run and every machine.
settings.register_profile("ci", max_examples=200, deadline=None, derandomize=True)
settings.register_profile("dev", max_examples=100, deadline=None)
settings.register_profile("thorough", max_examples=2000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
