"""JSON written piece by piece: a report of a million documents is never one string in memory.

``iter_json(value)`` yields ``value`` as indented JSON, in pieces; any list in ``value`` may be
given as a ``Streamed`` iterable, whose items are made one at a time as the output is written,
each on one line: a report is then one document or pair a line (easy to ``grep``), and a line
comes from the C encoder, several times faster than the pure-Python one that ``indent`` selects.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import attrs


@attrs.frozen
class Streamed:
    """A JSON list whose items are produced as they are written."""

    items: Iterable[Any]


def materialized(value: Any) -> Any:
    """``value`` with every ``Streamed`` turned into a list (for ``json.dumps`` and callers)."""
    if isinstance(value, Streamed):
        return [materialized(item) for item in value.items]
    if isinstance(value, Mapping):
        return {key: materialized(item) for key, item in value.items()}
    if isinstance(value, list):
        return [materialized(item) for item in value]
    return value


_ONE_LINE = json.JSONEncoder(ensure_ascii=False)


def iter_json(value: Any, indent: int = 2, level: int = 0) -> Iterator[str]:
    """The pieces of ``value`` as indented JSON: the text ``json.dumps`` gives, but with each item
    of a ``Streamed`` list on one line."""
    if isinstance(value, Streamed):
        yield from _iter_list(value.items, indent, level, one_line=True)
    elif not _streams(value):
        yield _dumps(value, indent, level)
    elif isinstance(value, Mapping):
        yield from _iter_object(value, indent, level)
    else:
        yield from _iter_list(value, indent, level)


def _iter_list(
    items: Iterable[Any], indent: int, level: int, *, one_line: bool = False
) -> Iterator[str]:
    inner = "\n" + " " * (indent * (level + 1))
    opened = False
    for item in items:
        yield ("[" if not opened else ",") + inner
        opened = True
        if one_line and not _streams(item):
            yield _ONE_LINE.encode(item)
        else:
            yield from iter_json(item, indent, level + 1)
    yield ("\n" + " " * (indent * level) + "]") if opened else "[]"


def _iter_object(value: Mapping[str, Any], indent: int, level: int) -> Iterator[str]:
    inner = "\n" + " " * (indent * (level + 1))
    separator = "{"
    for key, item in value.items():
        yield separator + inner + json.dumps(key, ensure_ascii=False) + ": "
        separator = ","
        yield from iter_json(item, indent, level + 1)
    yield ("\n" + " " * (indent * level) + "}") if separator == "," else "{}"


def _streams(value: Any) -> bool:
    """Does ``value`` hold a Streamed list anywhere?"""
    if isinstance(value, Mapping):
        return any(_streams(item) for item in value.values())
    if isinstance(value, list):
        return any(_streams(item) for item in value)
    return isinstance(value, Streamed)


def _dumps(value: Any, indent: int, level: int) -> str:
    text = json.dumps(value, indent=indent, ensure_ascii=False)
    # json.dumps indents nested lines from column 0; here they sit ``level`` steps in.
    return text.replace("\n", "\n" + " " * (indent * level)) if level else text
