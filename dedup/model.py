"""Frozen values that pass between the pipeline stages."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator, Mapping, Sequence
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

    # Checked here, so that a None or bytes text fails at once with its field's name rather
    # than deep inside normalisation.
    id: str = attrs.field(validator=attrs.validators.instance_of(str))
    text: str = attrs.field(validator=attrs.validators.instance_of(str))
    path: str | None = attrs.field(
        default=None, validator=attrs.validators.optional(attrs.validators.instance_of(str))
    )
    metadata: Mapping[str, str] = attrs.field(
        factory=dict, converter=_frozen_mapping, eq=False, hash=False
    )

    def __reduce__(self) -> tuple[type[Document], tuple[str, str, str | None, dict[str, str]]]:
        # The read-only metadata view cannot be pickled; worker processes need documents.
        return Document, (self.id, self.text, self.path, dict(self.metadata))


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
    #: Derived from the other with heavy edits: its sentences follow the other's in order and
    #: share its rare words, as a rewritten or revised text does (not a copy by shingles).
    REWRITE = "rewrite"
    #: A passage or more reused inside otherwise new text (not a copy).
    PARTIAL_REUSE = "partial-reuse"
    #: The same story written independently: corresponding sentences, few shared passages.
    SAME_STORY = "same-story"


#: The relations that make two documents copies of each other (and members of one family).
COPY_RELATIONS = frozenset(
    {Relation.EXACT_DUPLICATE, Relation.NEAR_DUPLICATE, Relation.CONTAINED}
)


@attrs.frozen
class Containment:
    """Share of each text's shingles that the other text also has."""

    a_in_b: float
    b_in_a: float


@attrs.frozen
class ReuseEvidence:
    """What a pair below the copy level shares, as the story tier measured it (none of it
    boilerplate: shingles and words that many documents carry do not count).

    ``shared_shingles``: word n-grams both texts hold (verbatim reuse; a passage of ``w`` words
    gives ``w - n + 1``); ``rare_words``: content words both hold; ``rare_cover``: the share of
    the shorter text's rare-word weight that the other holds (rarer words weigh more), and
    ``rare_cover_longer`` the same share of the longer text's; ``rare_weight``: their summed
    rarity; ``order``: how closely the shared words follow the same order in both texts
    (correlation of where each first occurs, -1 to 1).
    """

    shared_shingles: int
    rare_words: int
    rare_cover: float
    rare_cover_longer: float
    rare_weight: float
    order: float


@attrs.frozen
class Pair:
    """A verified pair of documents (``a`` sorts before ``b``) with exact scores."""

    a: str
    b: str
    relation: Relation
    jaccard: float
    containment: Containment
    #: The shared passages, when the scan was asked for them (``ScanConfig.passages``).
    alignment: Alignment | None = None
    #: What the story tier found shared (pairs it related; None for copies the copy tier found).
    evidence: ReuseEvidence | None = None


@attrs.frozen
class Boilerplate:
    """A passage that many documents carry (page furniture, a template's fixed words): never
    evidence of reuse or of one story. ``text`` is its normalised words as one holder has
    them; ``documents`` how many copy families hold it; ``example`` one document that does."""

    text: str
    documents: int
    example: str


@attrs.frozen
class Family:
    """Documents connected by verified copy relations; a singleton is a document with no copy.

    ``cohesion`` is the median Jaccard (MinHash estimate) over pairs of members: near 1 when
    every member is a copy of every other, low when members are linked only through a chain
    (templated notices, a short text inside several longer ones). ``loose`` flags a family whose
    typical pair of members is not itself a near-duplicate (cohesion below the scan's
    ``threshold``): look at it before treating its members as one story.
    """

    id: str
    members: tuple[str, ...]
    cohesion: float = 1.0
    loose: bool = False


def _as_documents(value: Iterable[Document]) -> Sequence[Document]:
    # A store (or tuple) is kept as it is; a list is frozen into a tuple.
    return value if isinstance(value, Sequence) and not isinstance(value, list) else tuple(value)


@attrs.frozen
class ScanResult:
    """What ``dedup.scan`` returns: the documents read, what was skipped, pairs and families.

    ``documents`` is a sequence of ``Document``; after a scan of files it reads each text again
    from its file when asked (``dedup.documents.DocumentStore``), so the texts are not all held.
    """

    documents: Sequence[Document] = attrs.field(converter=_as_documents)
    skipped: tuple[Skipped, ...]
    pairs: tuple[Pair, ...]
    families: tuple[Family, ...]
    config: ScanConfig
    #: Story families: documents linked by copy or ``same-story`` pairs (``ScanConfig.story``);
    #: empty when the scan did not look for stories.
    stories: tuple[Family, ...] = ()
    #: Who copied whom: directed edges with their evidence (``ScanConfig.lineage``).
    lineage: Lineage = attrs.field(factory=lambda: Lineage((), ()))
    #: The most widespread boilerplate passages the story tier set aside (most held first).
    boilerplate: tuple[Boilerplate, ...] = ()
    stats: Mapping[str, Any] = attrs.field(
        factory=dict, converter=_frozen_stats, eq=False, hash=False
    )

    def family_of(self, doc_id: str) -> Family:
        """The family that holds ``doc_id`` (every document is in exactly one)."""
        for family in self.families:
            if doc_id in family.members:
                return family
        raise KeyError(doc_id)


# --- alignment: the passages two documents share ------------------------------------------------


class EditOp(enum.StrEnum):
    """One step of the word-level edit script that turns a passage of A into its passage in B."""

    EQUAL = "equal"
    REPLACE = "replace"
    INSERT = "insert"
    DELETE = "delete"


_SWAPPED_OP = {EditOp.INSERT: EditOp.DELETE, EditOp.DELETE: EditOp.INSERT}


@attrs.frozen
class WordSpan:
    """Half-open range ``[start, end)`` of word indices in a document's normalised tokens."""

    start: int
    end: int

    @property
    def size(self) -> int:
        """How many words the range holds."""
        return self.end - self.start


@attrs.frozen
class Edit:
    """A run of words that are equal in both texts, or replaced, inserted (only in B) or deleted.

    ``a_span``/``b_span`` are character offsets into the original texts; the side that has no
    words (A for an insert, B for a delete) gets an empty span where the words would go.
    """

    op: EditOp
    a_span: Span
    b_span: Span
    a_words: WordSpan
    b_words: WordSpan

    def swapped(self) -> Edit:
        """The same edit seen from B: inserts become deletes and the sides trade places."""
        op = _SWAPPED_OP.get(self.op, self.op)
        return Edit(op, self.b_span, self.a_span, self.b_words, self.a_words)


class PassageKind(enum.StrEnum):
    """How a passage of A relates to its passage in B."""

    #: the same words after normalisation
    VERBATIM = "verbatim"
    #: the same passage with word-level edits (a word changed, a clause cut or added)
    EDITED = "edited"
    #: corresponding sentences (translation, rewrite), found by the sentence mode
    PARAPHRASE = "paraphrase"


@attrs.frozen
class Passage:
    """A stretch of text that A and B share: where it is in each, how alike, and the edits.

    ``similarity`` is ``2 × equal words / (words in a + words in b)`` for passages, and the
    sentence similarity for paraphrases; ``edits`` cover both spans in order. ``moved``: runs
    of equal words that the passage took in another order (sentences or paragraphs swapped),
    which ``edits`` show as deleted in one place and inserted in the other.
    """

    a_span: Span
    b_span: Span
    similarity: float
    kind: PassageKind
    edits: tuple[Edit, ...]
    a_words: WordSpan
    b_words: WordSpan
    moved: tuple[Edit, ...] = ()

    def swapped(self) -> Passage:
        """The same passage seen from B."""
        return Passage(
            a_span=self.b_span,
            b_span=self.a_span,
            similarity=self.similarity,
            kind=self.kind,
            edits=tuple(edit.swapped() for edit in self.edits),
            a_words=self.b_words,
            b_words=self.a_words,
            moved=tuple(edit.swapped() for edit in self.moved),
        )


@attrs.frozen
class CoverageShare:
    """Share of one document's words that lie in aligned passages.

    ``verbatim`` counts words equal in the other text, ``edited`` words inside a passage that
    were changed, cut or added; ``total`` is their sum.
    """

    words: int
    verbatim: float
    edited: float

    @property
    def total(self) -> float:
        """Share of the document's words inside some passage."""
        return self.verbatim + self.edited

    @property
    def new(self) -> float:
        """Share of the document's words outside every passage: text the other one lacks."""
        return max(0.0, 1.0 - self.total)


@attrs.frozen
class Coverage:
    """Coverage of each document of a pair by its aligned passages."""

    a: CoverageShare
    b: CoverageShare


class AlignMode(enum.StrEnum):
    """Which alignment made the passages."""

    #: shared passages, verbatim or edited (``dedup.align``)
    PASSAGES = "passages"
    #: corresponding sentences in order, for translations and rewrites (``dedup.align_sentences``)
    SENTENCES = "sentences"


@attrs.frozen
class Alignment:
    """Everything two documents share: passages in the order of A, and coverage of each.

    Each word of either document lies in at most one passage.
    """

    a: str
    b: str
    passages: tuple[Passage, ...]
    coverage: Coverage
    mode: AlignMode = AlignMode.PASSAGES

    def swapped(self) -> Alignment:
        """The alignment of B with A (passages re-sorted in the order of the new A)."""
        passages = sorted(
            (p.swapped() for p in self.passages), key=lambda p: (p.a_words.start, p.b_words.start)
        )
        return Alignment(
            a=self.b,
            b=self.a,
            passages=tuple(passages),
            coverage=Coverage(a=self.coverage.b, b=self.coverage.a),
            mode=self.mode,
        )


# --- lineage: who copied whom -------------------------------------------------------------------


class EvidenceKind(enum.StrEnum):
    """What a piece of direction evidence rests on (docs/lineage.md describes each)."""

    #: publication dates (metadata, or a dateline at the top of the text)
    DATE = "date"
    #: the later text looks back at the shared event ("last month", "a year ago")
    RELATIVE_DATE = "relative-date"
    #: the target is the source cut short: the source's extra text is its own ending
    TRIMMED = "trimmed"
    #: the target's extra text is page furniture or added paragraphs, not story
    ADDITIONS = "additions"
    #: page furniture both carry (a "Related article" line): one was taken from the other's page
    SHARED_INNOVATION = "shared-innovation"
    #: the target credits the source's publisher ("Originally published by ...", "(AFP)")
    CREDIT = "credit-line"
    #: neither text derives from the other: each has material the other lacks
    COMMON_SOURCE = "common-source"
    #: the target marks itself a later version ("UPDATE 1", "CORRECTED", "adds quotes")
    UPDATE_MARKER = "update-marker"
    #: the texts differ in length: a revision grows, a copy is cut (weighed per regime)
    GROWTH = "growth"


@attrs.frozen
class Evidence:
    """One named piece of evidence for an edge, with its weight in log-odds toward the edge's
    direction (positive: for source -> target)."""

    kind: EvidenceKind
    detail: str
    weight: float


@attrs.frozen
class LineageNode:
    """A node of the lineage graph: a document, or a latent source missing from the corpus."""

    id: str
    latent: bool = False
    #: The copy family of the document, or the one a latent node is the source of.
    family: str | None = None


@attrs.frozen
class LineageEdge:
    """``target`` derives from ``source`` (directly, as far as the corpus shows).

    ``confidence`` is the estimated probability that the edge is right (direction included);
    ``primary`` is False for a secondary source of a text that mixes two; ``relation`` is the
    pair's relation (a copy relation, or ``partial-reuse``).
    """

    source: str
    target: str
    confidence: float
    evidence: tuple[Evidence, ...]
    relation: Relation
    primary: bool = True


@attrs.frozen
class Lineage:
    """An acyclic graph of derivations: iterate it for its edges."""

    nodes: tuple[LineageNode, ...]
    edges: tuple[LineageEdge, ...]

    def __iter__(self) -> Iterator[LineageEdge]:
        return iter(self.edges)

    def __len__(self) -> int:
        return len(self.edges)

    def sources(self, doc_id: str) -> tuple[LineageEdge, ...]:
        """The edges into ``doc_id``, primary first."""
        return tuple(e for e in self.edges if e.target == doc_id)

    def roots(self) -> tuple[str, ...]:
        """Nodes with edges out but none in."""
        targets = {e.target for e in self.edges}
        return tuple(n.id for n in self.nodes if n.id not in targets)
