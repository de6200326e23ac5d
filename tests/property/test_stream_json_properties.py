"""The streamed JSON report holds the value json.dumps would write, whatever the nesting."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from dedup.report.stream import Streamed, iter_json, materialized

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()


def streamed_values() -> st.SearchStrategy[Any]:
    """JSON values in which any list may be a Streamed generator instead."""
    return st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=4).flatmap(
            lambda items: st.sampled_from([items, Streamed(iter(items))])
        ) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
        max_leaves=25,
    )


@given(streamed_values(), st.sampled_from([1, 2, 4]))
def test_streamed_json_reads_back_as_the_value(value: Any, indent: int) -> None:
    value = _replayable(value)
    assert json.loads("".join(iter_json(value, indent))) == materialized(value)


@given(st.lists(st.dictionaries(st.text(max_size=5), scalars, max_size=3), max_size=5))
def test_each_streamed_item_is_one_line_and_the_rest_is_indented(items: list[Any]) -> None:
    text = "".join(iter_json({"n": 1, "items": Streamed(iter(items))}, 2))
    assert text.count("\n") == 3 + len(items) + bool(items)
    assert text.startswith('{\n  "n": 1,\n  "items": ')


def _replayable(value: Any) -> Any:
    """A copy whose Streamed items are lists, so that both renderings can read them."""
    if isinstance(value, Streamed):
        items = [_replayable(item) for item in value.items]
        return Streamed(items)
    if isinstance(value, dict):
        return {key: _replayable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_replayable(item) for item in value]
    return value
