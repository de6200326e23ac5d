"""The plots in docs/ are what their scripts draw from dedup today."""

from __future__ import annotations

import importlib.util
from pathlib import Path

PLOTS = Path(__file__).resolve().parents[2] / "docs" / "plots"


def test_the_committed_s_curve_is_what_the_script_draws() -> None:
    spec = importlib.util.spec_from_file_location("lsh_s_curve", PLOTS / "lsh_s_curve.py")
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    drawn = script.svg()
    assert "37 bands of 3 rows" in drawn  # the default LshParams at 128 permutations
    assert (PLOTS / "lsh-s-curve.svg").read_text(encoding="utf-8") == drawn, (
        "docs/plots/lsh-s-curve.svg is stale: run python docs/plots/lsh_s_curve.py"
    )
