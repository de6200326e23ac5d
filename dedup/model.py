"""Frozen values that pass between the pipeline stages."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from dedup.config import ScanConfig, SketchParams
from dedup.errors import ParameterMismatchError


def _frozen_mapping(value: Mapping[str, str] | None) -> Mapping[str, str]:
    return MappingProxyType(dict(value or {}))


def _frozen_stats(value: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return MappingProxyType(dict(value or {}))


@attrs.frozen
class Document:
    """One text to compare.

    ``id`` is the path relative to the scanned root, or the JSONL id field. ``text`` is the text as
    decoded (for HTML: the visible text); every offset dedup reports points into it. ``metadata``
    holds what the input carried: ``title``, ``date``, ``url`` when found.
    """

    id: str
    text: str
    path: str | None = None
    metadata: Mapping[str, str] = attrs.field(
        factory=dict, converter=_frozen_mapping, eq=False, hash=False
    )


@attrs.frozen
class Skipped:
    """An input that yielded no document, and why (``path`` may carry ``:LINE`` for JSONL)."""

    path: str
    reason: str


@attrs.frozen
class Span:
    """Half-open character range ``[start, end)`` in a document's original text."""

    start: int
    end: int


@attrs.frozen(eq=False)
class NormalizedText:
    """The word tokens of a text after normalisation, each with its span in the original text."""

    tokens: tuple[str, ...]
    spans: tuple[Span, ...]

    def __attrs_post_init__(self) -> None:
        if len(self.tokens) != len(self.spans):
            raise ValueError("NormalizedText needs one span per token")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, NormalizedText):
            return NotImplemented
        return self.tokens == other.tokens and self.spans == other.spans

    def __hash__(self) -> int:
        return hash(self.tokens)

    @property
    def text(self) -> str:
        """The tokens joined by single spaces: the canonical form that exact duplicates share."""
        return " ".join(self.tokens)


@attrs.frozen(eq=False)
class Signature:
    """A MinHash signature (``num_perm`` uint32 values) and the parameters that made it."""

    values: npt.NDArray[np.uint32] = attrs.field(repr=False)
    params: SketchParams

    def __attrs_post_init__(self) -> None:
        if self.values.shape != (self.params.num_perm,):
            raise ValueError(
                f"a signature needs {self.params.num_perm} values, got shape {self.values.shape}"
            )

    def check_compatible(self, other: Signature) -> None:
        """Raise ParameterMismatchError unless ``other`` was made with the same parameters."""
        if self.params != other.params:
            raise ParameterMismatchError(
                "signatures made with different parameters cannot be compared: "
                f"{self.params} vs {other.params}"
            )

    def jaccard(self, other: Signature) -> float:
        """The MinHash estimate of the Jaccard similarity of the two shingle sets."""
        self.check_compatible(other)
        return float(np.count_nonzero(self.values == other.values)) / self.params.num_perm

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Signature):
            return NotImplemented
        return self.params == other.params and bool(np.array_equal(self.values, other.values))

    def __hash__(self) -> int:
        return hash((self.params, self.values.tobytes()))


class Relation(enum.StrEnum):
    """What a reported pair is."""

    EXACT_DUPLICATE = "exact-duplicate"
    NEAR_DUPLICATE = "near-duplicate"
    CONTAINED = "contained"


@attrs.frozen
class Containment:
    """Share of each text's shingles that the other text also has."""

    a_in_b: float
    b_in_a: float


@attrs.frozen
class Pair:
    """A verified pair of documents (``a`` sorts before ``b``) with exact scores."""

    a: str
    b: str
    relation: Relation
    jaccard: float
    containment: Containment


@attrs.frozen
class Family:
    """Documents connected by verified copy relations; a singleton is a document with no copy."""

    id: str
    members: tuple[str, ...]


@attrs.frozen
class ScanResult:
    """What ``dedup.scan`` returns: the documents read, what was skipped, pairs and families."""

    documents: tuple[Document, ...]
    skipped: tuple[Skipped, ...]
    pairs: tuple[Pair, ...]
    families: tuple[Family, ...]
    config: ScanConfig
    stats: Mapping[str, Any] = attrs.field(
        factory=dict, converter=_frozen_stats, eq=False, hash=False
    )

    def family_of(self, doc_id: str) -> Family:
        """The family that holds ``doc_id`` (every document is in exactly one)."""
        for family in self.families:
            if doc_id in family.members:
                return family
        raise KeyError(doc_id)
