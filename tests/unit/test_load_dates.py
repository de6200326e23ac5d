"""Dates in the forms inputs write them, read as ISO 8601 without making up a missing part."""

from __future__ import annotations

import pytest

from dedup.loading.dates import UNPARSED, iso_date, unparsed_notice


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2022-12-20", "2022-12-20"),
        ("2022-12-20T10:00:00Z", "2022-12-20T10:00:00+00:00"),
        ("2022-12-20T11:00:00+01:00", "2022-12-20T10:00:00+00:00"),
        ("Tue, 20 Dec 2022 10:00:00 GMT", "2022-12-20T10:00:00+00:00"),  # RSS, HTTP
        ("Tue, 20 Dec 2022 05:00:00 -0500", "2022-12-20T10:00:00+00:00"),
        ("Dec. 20, 2022", "2022-12-20"),
        ("20th December 2022", "2022-12-20"),
        ("20 December 2022 10:00", "2022-12-20T10:00:00"),
        ("2022", "2022"),  # a year alone stays a year: no day is made up
        ("Dec 2022", "2022-12"),
        ("yesterday", None),
        ("12:30", None),  # a time without a date
        ("", None),
    ],
)
def test_iso_date_reads_the_common_forms(value: str, expected: str | None) -> None:
    assert iso_date(value) == expected


def test_a_date_format_reads_day_first_dates() -> None:
    assert iso_date("01/02/2022") == "2022-01-02"  # month first, unless told
    assert iso_date("01/02/2022", "%d/%m/%Y") == "2022-02-01"
    assert iso_date("2022-02-01", "%d/%m/%Y") is None  # the format given is the only one read


def test_unparsed_dates_make_one_notice() -> None:
    docs = [("a", {UNPARSED: "soon"}), ("b", {"date": "2022"}), ("c", {UNPARSED: "later"})]
    notice = unparsed_notice(docs)
    assert notice is not None and notice.startswith("2 documents")
    assert "a: 'soon'" in notice and "--date-format" in notice
    assert unparsed_notice([("b", {"date": "2022"})]) is None
