"""Publication dates as the inputs write them, read into one form (ISO 8601).

A date field of a record (``--date-field``) is read as RFC 3339 / ISO 8601 (``2022-12-20``,
``2022-12-20T10:00:00Z``), RFC 2822 as RSS feeds and HTTP write it (``Tue, 20 Dec 2022
10:00:00 GMT``), or a common news dateline (``Dec. 20, 2022``, ``20 December 2022 10:00``),
or by ``--date-format`` when given (``%d/%m/%Y``: strptime's codes). A value none of these
read is kept under ``unparsed_date``, and the commands count such documents and say so once.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import warnings
from collections.abc import Iterable, Mapping

import dateutil.parser

#: The metadata key of a date that did not parse: kept, so that it is never silently lost.
UNPARSED = "unparsed_date"


def iso_date(value: str, date_format: str | None = None) -> str | None:
    """``value`` as ISO 8601: ``YYYY-MM-DD`` for a date alone, else the time in UTC
    (``YYYY-MM-DDTHH:MM:SS+00:00``, or without offset when the value gave none); None when it
    is not a date in any form read here."""
    text = value.strip()
    if not text:
        return None
    parsed = _strptime(text, date_format) if date_format else _any_form(text)
    if parsed is None:
        return None if date_format else _partial(text)
    return _iso(parsed)


def _strptime(text: str, date_format: str) -> dt.datetime | None:
    try:
        return dt.datetime.strptime(text, date_format)  # the format says the zone
    except ValueError:
        return None


def _any_form(text: str) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        pass
    # Datelines: month names, abbreviations, ordinal days; month before day when both
    # are numbers (01/02/2022 is January 2nd): --date-format reads the other order.
    both = _parse_twice(text)
    return both[0] if both is not None and both[0] == both[1] else None


def _parse_twice(text: str) -> tuple[dt.datetime, dt.datetime] | None:
    """``text`` parsed with each of two defaults, so that no missing part is made up."""
    try:
        with warnings.catch_warnings():
            # An unknown zone name ("EST5") warns and is left out; the date still stands.
            warnings.simplefilter("ignore")
            return (dateutil.parser.parse(text, default=_DEFAULTS[0]),
                    dateutil.parser.parse(text, default=_DEFAULTS[1]))  # fmt: skip
    except (ValueError, OverflowError):
        return None


#: Two defaults that differ in every part: a part the text lacks shows as a difference.
_DEFAULTS = (dt.datetime(2000, 1, 1, 0, 0, 0), dt.datetime(2001, 2, 2, 0, 0, 0))


def _partial(text: str) -> str | None:
    """A date of reduced precision as ISO 8601 writes it (``2022``, ``2022-12``), or None."""
    both = _parse_twice(text)
    if both is None:
        return None
    first, second = both
    if first.year != second.year:
        return None
    year = f"{first.year:04d}"
    return year if first.month != second.month else f"{year}-{first.month:02d}"


def _iso(parsed: dt.datetime) -> str:
    if parsed.tzinfo is not None:
        return parsed.astimezone(dt.UTC).isoformat()
    if parsed.time() == dt.time():
        return parsed.date().isoformat()
    return parsed.isoformat()


def unparsed_notice(documents: Iterable[tuple[str, Mapping[str, str]]]) -> str | None:
    """One line on the documents (id, metadata) whose date did not parse, or None: how many,
    the first, and the option that reads them."""
    count, first = 0, ""
    for doc_id, metadata in documents:
        if UNPARSED in metadata:
            count += 1
            first = first or f"{doc_id}: {metadata[UNPARSED]!r}"
    if not count:
        return None
    return (f"{count} document{'s' if count > 1 else ''} with a date that does not parse "
            f"(the first, {first}) count as undated; give the dates' form with --date-format "
            "(strptime codes, e.g. '%d/%m/%Y %H:%M')")  # fmt: skip
