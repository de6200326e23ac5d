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
    return None if parsed is None else _iso(parsed)


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
    try:
        # Datelines: month names, abbreviations, ordinal days; month before day when both
        # are numbers (01/02/2022 is January 2nd): --date-format reads the other order.
        return dateutil.parser.parse(text)
    except (ValueError, OverflowError):
        return None


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
