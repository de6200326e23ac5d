"""dedup: find copied text and trace where it came from.

>>> import dedup
>>> result = dedup.scan(["seeds/"])          # doctest: +SKIP
>>> [f.members for f in result.families if len(f.members) > 1]  # doctest: +SKIP
"""

from importlib.metadata import PackageNotFoundError, version

from dedup.alignment import align, align_sentences
from dedup.config import (
    AlignConfig,
    LineageConfig,
    LoadConfig,
    LshParams,
    NormalizeConfig,
    ScanConfig,
    ShingleConfig,
    SketchParams,
)
from dedup.deduplication import Deduplication, KeepPolicy, Removal, dedupe, deduplicate
from dedup.errors import (
    BackendError,
    ConfigError,
    DedupError,
    DuplicateIdError,
    IndexBusyError,
    IndexFileError,
    InputError,
    MissingExtraError,
    NothingToScanError,
    OutputError,
    ParameterMismatchError,
)
from dedup.index import AddResult, Index, IndexStats, Match
from dedup.loading import load
from dedup.loading.frames import scan_frame
from dedup.minhash import from_datasketch, sketch, sketch_batch, to_datasketch
from dedup.model import (
    Alignment,
    AlignMode,
    Containment,
    Coverage,
    CoverageShare,
    Document,
    Edit,
    EditOp,
    Evidence,
    EvidenceKind,
    Family,
    Lineage,
    LineageEdge,
    LineageNode,
    NormalizedText,
    Pair,
    Passage,
    PassageKind,
    Relation,
    ScanResult,
    Signature,
    Skipped,
    Span,
    WordSpan,
)
from dedup.normalization import normalize
from dedup.pipeline import scan, scan_documents
from dedup.progress import Progress, ProgressEvent
from dedup.shingling import shingle
from dedup.verify import Comparison, compare

#: The distribution's name on the package index (the import package is ``dedup``).
_DISTRIBUTION = "dedup-lineage"

try:
    __version__ = version(_DISTRIBUTION)
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"

__all__ = [
    "AddResult",
    "AlignConfig",
    "AlignMode",
    "Alignment",
    "BackendError",
    "Comparison",
    "ConfigError",
    "Containment",
    "Coverage",
    "CoverageShare",
    "DedupError",
    "Deduplication",
    "Document",
    "DuplicateIdError",
    "Edit",
    "EditOp",
    "Evidence",
    "EvidenceKind",
    "Family",
    "Index",
    "IndexBusyError",
    "IndexFileError",
    "IndexStats",
    "InputError",
    "KeepPolicy",
    "Lineage",
    "LineageConfig",
    "LineageEdge",
    "LineageNode",
    "LoadConfig",
    "LshParams",
    "Match",
    "MissingExtraError",
    "NormalizeConfig",
    "NormalizedText",
    "NothingToScanError",
    "OutputError",
    "Pair",
    "ParameterMismatchError",
    "Passage",
    "PassageKind",
    "Progress",
    "ProgressEvent",
    "Relation",
    "Removal",
    "ScanConfig",
    "ScanResult",
    "ShingleConfig",
    "Signature",
    "SketchParams",
    "Skipped",
    "Span",
    "WordSpan",
    "__version__",
    "align",
    "align_sentences",
    "compare",
    "dedupe",
    "deduplicate",
    "from_datasketch",
    "load",
    "normalize",
    "scan",
    "scan_documents",
    "scan_frame",
    "shingle",
    "sketch",
    "sketch_batch",
    "to_datasketch",
]
