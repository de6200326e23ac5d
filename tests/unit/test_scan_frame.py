"""``dedup.scan_frame``: the rows of a DataFrame or a Dataset scanned as JSONL records are."""

from __future__ import annotations

from pathlib import Path

import pytest

import dedup
from dedup.errors import ConfigError

SEEDS = sorted((Path(__file__).resolve().parents[2] / "seeds").glob("*.txt"))
TEXTS = [path.read_text("utf-8") for path in SEEDS]
ROWS = {
    "key": ["s0", "s1", "s2", "s3", "s4", "empty"],
    "body": [*TEXTS, None],
    "published": ["2022-12-01", "Tue, 20 Dec 2022 10:00:00 GMT", None, None, None, None],
}


def _check(result: dedup.ScanResult) -> None:
    by_file = dedup.scan(SEEDS, jobs=1)  # the same texts read from their files
    assert [d.id for d in result.documents] == ["s0", "s1", "s2", "s3", "s4"]
    assert [(p.relation, p.jaccard) for p in result.pairs] == [
        (p.relation, p.jaccard) for p in by_file.pairs
    ]
    assert [s.path for s in result.skipped] == ["frame:6"]
    assert result.documents[1].metadata["date"] == "2022-12-20T10:00:00+00:00"


def test_a_pandas_frame_is_scanned_like_the_files() -> None:
    pd = pytest.importorskip("pandas")
    _check(dedup.scan_frame(pd.DataFrame(ROWS), text="body", id="key", date="published"))


def test_a_polars_frame_is_scanned_like_the_files() -> None:
    pl = pytest.importorskip("polars")
    _check(dedup.scan_frame(pl.DataFrame(ROWS), text="body", id="key", date="published"))


def test_a_datasets_dataset_is_scanned_like_the_files() -> None:
    datasets = pytest.importorskip("datasets")
    frame = datasets.Dataset.from_dict(ROWS)
    _check(dedup.scan_frame(frame, text="body", id="key", date="published"))


def test_rows_without_an_id_column_get_frame_ids_and_bad_input_is_refused() -> None:
    pd = pytest.importorskip("pandas")
    result = dedup.scan_frame(pd.DataFrame({"body": TEXTS[:2]}), text="body")
    assert [d.id for d in result.documents] == ["frame:1", "frame:2"]
    with pytest.raises(ConfigError, match="no column 'text'.*body"):
        dedup.scan_frame(pd.DataFrame({"body": TEXTS[:2]}))
    with pytest.raises(ConfigError, match="pandas or polars"):
        dedup.scan_frame([{"text": "a list is not a frame"}])
