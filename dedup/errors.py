"""The exceptions dedup raises.

Each is a :class:`DedupError` and also the builtin a caller would naturally catch, so
``except ValueError`` keeps working for code that does not know dedup's types.
"""

from __future__ import annotations

__all__ = [
    "BackendError",
    "ConfigError",
    "DedupError",
    "DuplicateIdError",
    "IndexBusyError",
    "IndexFileError",
    "InputError",
    "MissingExtraError",
    "NothingToScanError",
    "OutputError",
    "ParameterMismatchError",
]


class DedupError(Exception):
    """Base class of every error dedup raises on purpose."""


class ConfigError(DedupError, ValueError):
    """A configuration value is out of range or inconsistent."""


class ParameterMismatchError(DedupError, ValueError):
    """Two values made with different parameters were compared (e.g. two signatures)."""


class InputError(DedupError, OSError):
    """An input could not be read as a document; the message names the path and the reason."""


class NothingToScanError(DedupError, ValueError):
    """No input yielded a readable document."""


class MissingExtraError(DedupError, ImportError):
    """An optional dependency is not installed; the message names the install command."""


class DuplicateIdError(DedupError, ValueError):
    """Two documents given together have the same id."""


class OutputError(DedupError, OSError):
    """An output cannot be written where asked; the message names the path and the reason."""


class IndexFileError(DedupError, OSError):
    """A file given as an index is not one dedup can use (foreign, corrupt, newer, missing)."""


class IndexBusyError(DedupError, OSError):
    """Another process kept the index locked for writing longer than the wait allowed."""


class BackendError(DedupError, ConnectionError):
    """A scan backend cannot run: e.g. the Dask scheduler named is out of reach."""
