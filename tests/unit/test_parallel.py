"""Results and signatures do not depend on the number of worker processes."""

import datetime as dt
from pathlib import Path

import numpy as np

import dedup
from dedup.cli import main
from dedup.features import featurize_all

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def corpus() -> list[dedup.Document]:
    seeds = [dedup.Document(p.name, p.read_text(encoding="utf-8")) for p in sorted(SEEDS.iterdir())]
    # Enough documents for several batches, with copies spread across batch boundaries.
    # Dated: copies that differ by two words have a direction only by their dates.
    copies = [
        dedup.Document(f"copy{i}", seeds[i % 5].text + f" note {i}", None, {"date": _hour(i)})
        for i in range(600)
    ]
    return seeds + copies


def _hour(i: int) -> str:
    return (dt.datetime(2023, 1, 1) + dt.timedelta(hours=i)).isoformat()


def test_scan_with_two_workers_equals_one() -> None:
    docs = corpus()
    one = dedup.scan_documents(docs, jobs=1)
    two = dedup.scan_documents(docs, jobs=2)
    assert one.pairs == two.pairs
    assert one.families == two.families
    assert len(one.pairs) > 600
    # Lineage evidence is read by the workers too: the same graph, edge for edge.
    assert one.lineage == two.lineage and len(one.lineage.edges) > 100


def test_signatures_do_not_depend_on_workers() -> None:
    texts = [doc.text for doc in corpus()]
    config = dedup.ScanConfig()
    one = np.concatenate([f.signatures for f in featurize_all(texts, config, jobs=1)])
    two = np.concatenate([f.signatures for f in featurize_all(texts, config, jobs=2)])
    assert np.array_equal(one, two)


def test_cli_refuses_zero_jobs(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["scan", str(SEEDS), "-j", "0"]) == 2
    assert "--jobs" in capsys.readouterr().err
