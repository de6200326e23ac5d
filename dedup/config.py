"""Frozen configuration values, one per pipeline stage, and ScanConfig that bundles them.

Every knob of ``dedup scan`` is a field here; the CLI only translates options into these.
"""

from __future__ import annotations

from collections.abc import Callable
from numbers import Integral
from typing import Any, Literal

import attrs

from dedup.errors import ConfigError

#: Bumped whenever a normalisation rule changes what tokens a text yields; signatures record it.
NORMALIZER_VERSION = 1


def _in_unit_interval(_instance: object, attribute: attrs.Attribute[float], value: float) -> None:
    if not 0.0 <= value <= 1.0:
        raise ConfigError(f"{attribute.name} must lie between 0 and 1, got {value!r}")


def _positive(_instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if value < 1:
        raise ConfigError(f"{attribute.name} must be a positive whole number, got {value!r}")


def _between(low: int, high: int, unit: str = "") -> Callable[[object, Any, int], None]:
    """A validator for whole numbers in [low, high]: the upper bounds keep the work and memory of
    one document bounded (docs/limits.md) rather than ending in MemoryError or hours of work."""

    def check(_instance: object, attribute: attrs.Attribute[int], value: int) -> None:
        if isinstance(value, bool) or not isinstance(value, Integral) or not low <= value <= high:
            raise ConfigError(
                f"{attribute.name} must be a whole number between {low} and {high}{unit}, "
                f"got {value!r}"
            )

    return check


#: Most MinHash permutations a sketch may have: 32 KB per document's signature.
MAX_NUM_PERM = 4096
#: Longest shingle, in words or characters (the position constants of ``dedup.shingle``).
MAX_NGRAM = 64


def _at_least_two(_instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if value < 2:
        raise ConfigError(f"{attribute.name} must be at least 2, got {value!r}")


def _non_negative(_instance: object, attribute: attrs.Attribute[float], value: float) -> None:
    if value < 0:
        raise ConfigError(f"{attribute.name} must not be negative, got {value!r}")


@attrs.frozen
class LoadConfig:
    """How inputs become documents."""

    text_field: str = "text"
    id_field: str = "id"
    date_field: str | None = None
    #: How the date field is written (strptime codes, e.g. ``%d/%m/%Y``); None: ISO 8601,
    #: RFC 2822 or a common dateline, recognised (``dedup.loading.dates``).
    date_format: str | None = None
    #: HTML pages: every visible word ("visible"), or the main content only ("main", the
    #: ``html`` extra: navigation, widgets and footers left out).
    html_extract: Literal["visible", "main"] = attrs.field(
        default="visible", validator=attrs.validators.in_(("visible", "main"))
    )
    #: Files above this size are skipped with a reason rather than read (JSONL is streamed).
    max_file_bytes: int = attrs.field(default=64 * 1024 * 1024, validator=_positive)


@attrs.frozen
class NormalizeConfig:
    """Which normalisation rules run; all are on by default because each helps news copies match."""

    unicode_nfkc: bool = True
    casefold: bool = True
    #: Markdown/HTML markup, link targets, HTML entities.
    strip_markup: bool = True
    #: Bare URLs (http://…, www.…) in the text.
    strip_urls: bool = True
    #: "coop-\\neration" → "cooperation" when a line ends in a hyphen followed by a lowercase word.
    join_hyphenation: bool = True
    version: int = NORMALIZER_VERSION


@attrs.frozen
class ShingleConfig:
    """Word n-grams (the default) or character n-grams of the normalised text."""

    kind: Literal["word", "char"] = attrs.field(
        default="word", validator=attrs.validators.in_(("word", "char"))
    )
    size: int = attrs.field(default=5, validator=_between(1, MAX_NGRAM))


@attrs.frozen
class SketchParams:
    """Everything that must match for two signatures to be comparable."""

    num_perm: int = attrs.field(default=128, validator=_between(1, MAX_NUM_PERM))
    seed: int = attrs.field(default=1)
    shingle: ShingleConfig = attrs.field(factory=ShingleConfig)
    normalizer_version: int = NORMALIZER_VERSION
    #: ``oph`` (default): one-permutation hashing with optimal densification, one hash per
    #: shingle, ~30x faster to sketch, as accurate on the evaluation corpora (docs/scale.md).
    #: ``kperm``: classic MinHash, one permutation per value, bit for bit datasketch's
    #: (``to_datasketch``/``from_datasketch`` need it).
    method: Literal["kperm", "oph"] = attrs.field(
        default="oph", validator=attrs.validators.in_(("kperm", "oph"))
    )

    @seed.validator
    def _check_seed(self, _attribute: attrs.Attribute[int], value: int) -> None:
        if not 0 <= value < 2**32:
            raise ConfigError(f"seed must lie in [0, 2**32), got {value!r}")


@attrs.frozen
class LshParams:
    """Banding of signatures into buckets; a pair sharing any band becomes a candidate.

    ``threshold`` is the Jaccard similarity at which the S-curve is tuned: pairs well above it
    are found with near certainty. It is lower than the reporting thresholds so that trimmed
    copies (contained, lower Jaccard) still become candidates; every candidate is verified.
    ``bands``/``rows`` override the computed optimum when both are given.
    """

    threshold: float = attrs.field(default=0.3, validator=_in_unit_interval)
    bands: int | None = None
    rows: int | None = None
    #: A bucket larger than this pairs each member with its next ``max_bucket_pairs`` neighbours
    #: only, so one band shared by thousands of documents cannot cause quadratic work.
    max_bucket_pairs: int = attrs.field(default=64, validator=_positive)


def _anchor_size(_instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if not 1 <= value <= 64:
        raise ConfigError(f"{attribute.name} must lie between 1 and 64 words, got {value!r}")


@attrs.frozen
class AlignConfig:
    """How two texts are aligned into shared passages (``dedup.align``, ``dedup diff``).

    Passages grow from anchors, word n-grams both texts share, chained along diagonals; the
    sentence mode pairs sentences by character n-gram similarity. See docs/diff.md.
    """

    #: Word n-gram size of the anchors that seed passages.
    anchor: int = attrs.field(default=3, validator=_anchor_size)
    #: An n-gram found more often than this in either text is no anchor: repeated phrases and
    #: runs of one word would otherwise make the work quadratic.
    max_occurrences: int = attrs.field(default=8, validator=_between(1, 1024))
    #: Longest run of unmatched words, in either text, that a passage bridges.
    max_gap: int = attrs.field(default=12, validator=_between(1, 1000, " words"))
    #: Fewest equal words a reported passage holds.
    min_words: int = attrs.field(default=8, validator=_positive)
    #: Character n-gram size of the sentence similarity (sentence mode).
    sentence_ngram: int = attrs.field(default=4, validator=_between(1, MAX_NGRAM))
    #: Sentence pairs less similar than this are not aligned (sentence mode).
    sentence_threshold: float = attrs.field(default=0.3, validator=_in_unit_interval)
    #: Fewest words a sentence, or two merged sentences, must have to be paired (sentence mode).
    sentence_min_words: int = attrs.field(default=4, validator=_positive)


@attrs.frozen
class StoryConfig:
    """The looser tiers beyond copies: ``rewrite``, ``partial-reuse``, ``same-story`` and story
    families (see docs/concepts.md for the one table of relations, docs/quality.md for how the
    thresholds were chosen on real labelled corpora).

    Each copy family is one unit; units are paired through the word shingles and the content
    words (stopwords removed, each word cut to its first ``stem`` characters) they share,
    leaving out those held by too many units (boilerplate).
    """

    #: Characters kept of each content word: a light stem, so Borisov and Borissov match.
    stem: int = attrs.field(default=5, validator=_between(1, MAX_NGRAM))
    #: A shingle held by more copy families than this is boilerplate (furniture, templates).
    shingle_cap: int = attrs.field(default=16, validator=_at_least_two)
    #: A content word held by more copy families than this is boilerplate: too common to tell
    #: one story from another. It also bounds the work: a word pairs at most ``cap²/2`` units.
    word_cap: int = attrs.field(default=64, validator=_at_least_two)
    #: Equal words of a shared passage (verbatim, not boilerplate) that make a ``partial-reuse``.
    min_reused_words: int = attrs.field(default=15, validator=_positive)
    #: ... when the pair also shares this much rare-word weight (a name, a place: a template's
    #: fixed sentences share only common words), or the passage is three times as long.
    reuse_weight: float = attrs.field(default=2.0, validator=_non_negative)
    #: ``rewrite``: the share of the shorter text's rare-word weight found in the other, ...
    rewrite_cover: float = attrs.field(default=0.35, validator=_in_unit_interval)
    #: ... the correlation of the order in which both texts use the shared words, ...
    rewrite_order: float = attrs.field(default=0.4, validator=_in_unit_interval)
    #: ... and the fewest shared content words.
    rewrite_words: int = attrs.field(default=25, validator=_positive)
    #: ``same-story``: the share of the shorter text's rare-word weight found in the other, ...
    story_cover: float = attrs.field(default=0.3, validator=_in_unit_interval)
    #: ... the share of the longer text's (one story, not a long text that mentions it), ...
    story_cover_longer: float = attrs.field(default=0.12, validator=_in_unit_interval)
    #: ... and the least summed weight of the shared words (several rare words, not one).
    story_weight: float = attrs.field(default=10.0, validator=_non_negative)
    #: Two texts of one story that share verbatim passages are the story told twice (quotes
    #: of one statement) while less than this share of either's shingles is shared; from this
    #: share on, one was written from the other, or both from a third: ``partial-reuse``.
    retold_containment: float = attrs.field(default=0.2, validator=_in_unit_interval)
    #: A story family holds together when the mean ``rare_cover`` between its parts is at
    #: least this (average linkage): a chain of pairwise links through different stories
    #: does not make one family.
    family_cover: float = attrs.field(default=0.2, validator=_in_unit_interval)
    #: Boilerplate passages listed in the report.
    boilerplate_shown: int = attrs.field(default=10, validator=attrs.validators.ge(0))

    # The persistent index (``dedup query``) finds a query's story candidates with a content
    # sketch, then names them by this tier's figures and rule; these settings are its own.
    #: Content sketch of the index.
    num_perm: int = attrs.field(default=128, validator=_between(1, MAX_NUM_PERM))
    seed: int = attrs.field(default=7)
    #: Estimated content-word Jaccard at which the index's candidate S-curve is tuned.
    lsh_threshold: float = attrs.field(default=0.1, validator=_in_unit_interval)
    #: Related pairs reported between two copy families (the first by id): copies of one text
    #: would otherwise multiply the pairs (a scan's, and a query's against the index).
    pairs_per_families: int = attrs.field(default=16, validator=_between(1, 4096))
    #: Story candidates of an index query that are measured: its most similar by content
    #: sketch.
    candidates_per_document: int = attrs.field(default=5, validator=_between(1, 4096))


@attrs.frozen
class LineageConfig:
    """How the lineage graph is drawn from the direction evidence (see docs/lineage.md)."""

    #: Edges less likely than this (direction included) are left out of the graph.
    min_confidence: float = attrs.field(default=0.6, validator=_in_unit_interval)
    #: Copies in one family with no confident source among themselves get a latent common
    #: source when they are at least this many.
    latent_min_roots: int = attrs.field(default=2, validator=_positive)
    #: Copy pairs looked at per document: its most similar copies (a story with a hundred
    #: copies would otherwise cost five thousand comparisons).
    max_partners: int = attrs.field(default=8, validator=_between(1, 4096))


@attrs.frozen
class ScanConfig:
    """All settings of a scan. ``dedup scan`` options map one to one onto these fields."""

    load: LoadConfig = attrs.field(factory=LoadConfig)
    normalize: NormalizeConfig = attrs.field(factory=NormalizeConfig)
    sketch: SketchParams = attrs.field(factory=SketchParams)
    lsh: LshParams = attrs.field(factory=LshParams)
    #: Exact Jaccard of shingle sets at or above which a pair is a near-duplicate.
    #: Defaults chosen on the evaluation corpora: see docs/quality.md.
    threshold: float = attrs.field(default=0.5, validator=_in_unit_interval)
    #: Share of the smaller text's shingles found in the larger one for ``contained``.
    containment_threshold: float = attrs.field(default=0.6, validator=_in_unit_interval)
    #: No pair is reported below this Jaccard, whatever its containment: a boilerplate-only text
    #: is wholly inside every page that carries it, and must not glue those pages together.
    min_jaccard: float = attrs.field(default=0.2, validator=_in_unit_interval)
    #: Align every reported pair into shared passages (``dedup scan --passages``).
    passages: bool = False
    #: How those passages are aligned.
    align: AlignConfig = attrs.field(factory=AlignConfig)
    #: Also report ``partial-reuse`` and ``same-story`` pairs and story families
    #: (``dedup scan --no-stories`` turns it off; copy pairs and families do not change).
    story: bool = True
    #: How those looser relations are found.
    stories: StoryConfig = attrs.field(factory=StoryConfig)
    #: Estimate who copied whom among copy and partial-reuse pairs (``ScanResult.lineage``;
    #: ``dedup scan --no-lineage`` turns it off).
    lineage: bool = True
    #: How the lineage is drawn.
    lineage_config: LineageConfig = attrs.field(factory=LineageConfig)
