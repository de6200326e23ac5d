"""One definition of a result's tables: a table written on its own (``--pairs-out``) holds what
the same table of a result folder (``--out``) holds, and a folder reads back as the result."""

from __future__ import annotations

from pathlib import Path

import pytest

from dedup.cli import main
from dedup.report import folder
from dedup.report.tables import COLUMNS

pq = pytest.importorskip("pyarrow.parquet")
SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@pytest.mark.parametrize("table", ["pairs", "families", "documents"])
def test_a_table_file_and_a_result_folder_hold_the_same_rows(
    table: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    alone = tmp_path / f"{table}.parquet"
    out = tmp_path / "out"
    assert main(["scan", str(SEEDS), "-j", "1", f"--{table}-out", str(alone), "-o",
                 str(tmp_path / "report.txt")]) == 0  # fmt: skip
    assert main(["scan", str(SEEDS), "-j", "1", "--out", str(out)]) == 0
    capsys.readouterr()
    manifest = folder.read_manifest(str(out))
    assert manifest["tables"][table]["columns"] == [name for name, _ in COLUMNS[table]]
    written = pq.read_table(alone).to_pylist()
    stored = list(folder.read_rows(str(out), manifest, table))
    assert written == stored
    assert written, "the seeds give rows in every table"


def test_a_result_folder_reads_back_as_the_scan(tmp_path: Path) -> None:
    import dedup

    result = dedup.scan([SEEDS], jobs=1)
    folder.write_result(result, str(tmp_path / "out"))
    back = folder.read_result(str(tmp_path / "out"))
    assert back.pairs == result.pairs
    assert back.families == result.families
    assert back.stories == result.stories
    assert back.lineage == result.lineage
