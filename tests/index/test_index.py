"""``dedup.Index``: what a newsroom relies on when it keeps an archive and queries new articles."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import attrs
import pytest

import dedup
from dedup import Document, Index, Relation
from dedup.errors import IndexFileError, ParameterMismatchError
from dedup.index.store import FORMAT_VERSION

from .material import SEED, SEEDS, texts


def seed(name: str) -> Document:
    (document,) = [d for d in dedup.load([SEED[name]]) if isinstance(d, Document)]
    return document


@pytest.fixture
def seeded(tmp_path: Path) -> Path:
    path = tmp_path / "news.dedup"
    with Index.open(path) as index:
        result = index.add_paths([SEEDS])
    assert len(result.added) == 5
    return path


def relations(matches: tuple[dedup.Match, ...]) -> dict[str, str]:
    return {m.doc_id[:3]: str(m.relation) for m in matches}


def test_querying_a_seed_finds_its_near_duplicate_with_the_scans_scores(seeded: Path) -> None:
    with Index.open(seeded) as index:
        matches = index.query(seed("001"))
    first = matches[0]
    assert (first.doc_id[:3], first.relation) == ("002", Relation.NEAR_DUPLICATE)
    scan = dedup.compare(seed("001").text, seed("002").text)
    assert first.jaccard == pytest.approx(scan.jaccard)
    assert (first.containment.a_in_b, first.containment.b_in_a) == pytest.approx(
        (scan.containment.a_in_b, scan.containment.b_in_a)
    )
    assert "001" not in relations(matches)  # the document itself is not its own match


def test_querying_the_other_telling_finds_both_copies_as_same_story(seeded: Path) -> None:
    with Index.open(seeded) as index:
        found = relations(index.query(seed("000")))
    assert found["001"] == found["002"] == "same-story"


def test_query_answers_agree_with_a_scan_of_the_same_documents(seeded: Path) -> None:
    pairs = {(p.a[:3], p.b[:3]): p for p in dedup.scan([SEEDS]).pairs}
    with Index.open(seeded) as index:
        for name in SEED:
            for match in index.query(seed(name)):
                key = tuple(sorted((name, match.doc_id[:3])))
                assert pairs[key].relation == match.relation
                assert pairs[key].jaccard == match.jaccard  # the same keys: the same numbers


def test_reopening_in_a_new_process_gives_the_same_answers(seeded: Path) -> None:
    with Index.open(seeded) as index:
        before = [(m.doc_id, str(m.relation), m.jaccard) for m in index.query(seed("001"))]
    code = (
        "import dedup, json, sys\n"
        "doc = next(iter(dedup.load([sys.argv[2]])))\n"
        "with dedup.Index.open(sys.argv[1], create=False) as index:\n"
        "    print(json.dumps([(m.doc_id, str(m.relation), m.jaccard)"
        " for m in index.query(doc)]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code, str(seeded), str(SEED["001"])],
                         capture_output=True, text=True, check=True).stdout
    assert [tuple(m) for m in json.loads(out)] == before


def test_re_adding_processes_only_new_or_changed_documents(tmp_path: Path) -> None:
    folder = tmp_path / "archive"
    folder.mkdir()
    for i, text in enumerate(texts(3)):
        (folder / f"{i}.txt").write_text(text)
    with Index.open(tmp_path / "i.dedup") as index:
        assert index.add_paths(folder).added == ("0.txt", "1.txt", "2.txt")
        (folder / "1.txt").write_text(texts(1, seed=9)[0])
        (folder / "3.txt").write_text(texts(1, seed=8)[0])
        again = index.add_paths(folder)
        assert (again.added, again.updated, again.unchanged) == (("3.txt",), ("1.txt",),
                                                                 ("0.txt", "2.txt"))
        # The changed document answers with its new text, not the old one.
        (match,) = index.query(Document("q", texts(1, seed=9)[0]))
        assert (match.doc_id, match.relation) == ("1.txt", Relation.EXACT_DUPLICATE)
        assert not index.query(Document("q", texts(3)[1]))
        assert len(index) == 4


def test_removed_documents_are_no_longer_matched(seeded: Path) -> None:
    with Index.open(seeded) as index:
        assert index.remove(["002_9ee1089bac769580.txt", "no-such-id"]) == ("no-such-id",)
        assert "002" not in relations(index.query(seed("001")))
        assert len(index) == 4
        assert "002_9ee1089bac769580.txt" not in index
    with Index.open(seeded) as index:
        assert "002" not in relations(index.query(seed("001")))


def test_a_short_article_inside_a_long_one_is_found_by_containment(tmp_path: Path) -> None:
    short, *others = texts(12, words=60, seed=3)
    long = " ".join([*others[:10], short, others[10]])  # the short text is 1/12 of the long one
    with Index.open(tmp_path / "i.dedup") as index:
        index.add([Document("long", long), *(Document(f"o{i}", t) for i, t in
                                              enumerate(texts(50, seed=4)))])
        # By the scan's rules a Jaccard of 0.08 makes no copy: the passage is partial reuse.
        assert relations(index.query(Document("short", short))) == {"lon": "partial-reuse"}
        copies_only = index.using(dedup.ScanConfig(story=False))
        assert copies_only.query(Document("short", short)) == ()
        (match,) = copies_only.query(Document("short", short), min_containment=0.9)
    assert (match.doc_id, match.relation) == ("long", Relation.CONTAINED)
    assert match.containment.a_in_b == 1.0
    assert match.jaccard < 0.1


def test_top_limits_and_orders_the_matches(tmp_path: Path) -> None:
    base = texts(1, words=200, seed=5)[0].split()
    variants = [" ".join(base[: 200 - 10 * i]) for i in range(6)]
    with Index.open(tmp_path / "i.dedup") as index:
        index.add([Document(f"v{i}", text) for i, text in enumerate(variants)])
        matches = index.query(Document("q", " ".join(base)), top=3)
        loose = index.query(Document("q", " ".join(base)), min_containment=0.8)
    assert [(m.doc_id, str(m.relation)) for m in matches] == [
        ("v0", "exact-duplicate"), ("v1", "near-duplicate"), ("v2", "near-duplicate")]
    assert matches[1].jaccard > matches[2].jaccard
    # v5 holds 150 of the 200 words: 0.74 of the query's shingles lie in it, 1.0 of its own.
    assert [m.doc_id for m in loose] == ["v0", "v1", "v2", "v3", "v4", "v5"]


def test_passages_are_aligned_when_asked(seeded: Path) -> None:
    with Index.open(seeded) as index:
        match = index.query(seed("001"), top=1, passages=True)[0]
    assert match.alignment is not None
    assert match.alignment.coverage.a.total > 0.9


def test_other_sketch_parameters_are_refused(seeded: Path) -> None:
    other = dedup.ScanConfig(sketch=dedup.SketchParams(num_perm=64))
    with pytest.raises(ParameterMismatchError, match="num_perm"):
        Index.open(seeded, other)
    with Index.open(seeded) as index:  # no parameters: the index's own
        assert index.config.sketch.num_perm == 128


def test_a_foreign_file_is_refused_and_left_untouched(tmp_path: Path) -> None:
    text_file = tmp_path / "notes.txt"
    text_file.write_text("my notes, not an index\n")
    other_db = tmp_path / "other.sqlite"
    with sqlite3.connect(other_db) as db:
        db.execute("CREATE TABLE t (x)")
    for path, reason in ((text_file, "not an SQLite database"), (other_db, "not a dedup index")):
        before = path.read_bytes()
        with pytest.raises(IndexFileError, match=reason):
            Index.open(path)
        assert path.read_bytes() == before
        assert not Path(f"{path}-wal").exists()


def test_a_corrupt_index_is_refused_clearly(seeded: Path) -> None:
    data = bytearray(seeded.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # the schema page
    seeded.write_bytes(bytes(data))
    with pytest.raises(IndexFileError, match=str(seeded.name)), Index.open(seeded) as index:
        index.query(seed("001"))


def test_newer_and_older_formats_are_refused_with_what_to_do(seeded: Path) -> None:
    for version, advice in ((FORMAT_VERSION + 1, "upgrade dedup"), (1, "dedup index migrate"),
                            (0, "rebuild it: dedup index add")):
        with sqlite3.connect(seeded) as db:
            db.execute(f"PRAGMA user_version = {version}")
        with pytest.raises(IndexFileError, match=advice):
            Index.open(seeded)


def test_a_missing_index_is_not_made_when_only_reading(tmp_path: Path) -> None:
    with pytest.raises(IndexFileError, match="no index"):
        Index.open(tmp_path / "none.dedup", create=False)
    assert not (tmp_path / "none.dedup").exists()


def test_a_text_without_words_matches_nothing_and_is_skipped_when_added(tmp_path: Path) -> None:
    with Index.open(tmp_path / "i.dedup") as index:
        result = index.add([Document("blank", "… — !!"), Document("a", texts(1)[0])])
        assert [s.reason for s in result.skipped] == ["no words to compare"]
        assert index.query(Document("q", "— …")) == ()


def test_scan_of_the_index_equals_a_scan_of_the_files(seeded: Path) -> None:
    with Index.open(seeded) as index:
        from_index = index.scan()
    from_files = dedup.scan([SEEDS])
    assert from_index.families == from_files.families
    assert from_index.pairs == from_files.pairs
    assert from_index.stories == from_files.stories


def test_migrate_runs_each_step_once_and_then_the_file_opens(
    seeded: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dedup.index import store, upgrade

    def step(db: sqlite3.Connection) -> None:
        db.execute("INSERT INTO meta VALUES ('note', 'made by step 1 -> 2')")

    monkeypatch.setattr(store, "FORMAT_VERSION", FORMAT_VERSION + 1)
    monkeypatch.setattr(store, "MIGRATIONS", {FORMAT_VERSION: step})
    with pytest.raises(IndexFileError, match="dedup index migrate"):
        Index.open(seeded)
    assert upgrade(seeded) == [FORMAT_VERSION]
    assert upgrade(seeded) == []
    with Index.open(seeded) as index:
        assert relations(index.query(seed("001")))["002"] == "near-duplicate"
    with sqlite3.connect(seeded) as db:
        assert db.execute("SELECT value FROM meta WHERE key = 'note'").fetchone() == (
            "made by step 1 -> 2",)


def test_trace_gives_the_scans_lineage_among_the_query_and_its_matches(seeded: Path) -> None:
    with Index.open(seeded) as index:
        lineage = index.trace(seed("001"))
    scanned = {(e.source, e.target) for e in dedup.scan([SEEDS]).lineage}
    traced = {(e.source, e.target) for e in lineage}
    assert traced == scanned
    assert ("002_9ee1089bac769580.txt", "001_47e1ff0772070bb4.txt") in traced


_LOOSER = {Relation.PARTIAL_REUSE, Relation.SAME_STORY}


def _looser_pairs(result: dedup.ScanResult) -> dict[str, set[tuple[str, Relation]]]:
    """Each document's partial-reuse and same-story partners in a scan."""
    found: dict[str, set[tuple[str, Relation]]] = {}
    for pair in result.pairs:
        if pair.relation in _LOOSER:
            found.setdefault(pair.a, set()).add((pair.b, pair.relation))
            found.setdefault(pair.b, set()).add((pair.a, pair.relation))
    return found


@pytest.mark.parametrize("per_document", [5, 1])
def test_query_story_matches_are_the_scans_within_its_cap(seeded: Path, per_document: int) -> None:
    # The query aligns its own nearest story candidates by the scan's rule and cap, so what it
    # finds the scan finds too; a scan also keeps a pair for the other document's sake, so with
    # a cap of 1 it may find more (000 is the nearest of 002 and 004, not they of 000).
    with Index.open(seeded) as index:
        config = attrs.evolve(
            index.config, lineage=False,
            stories=attrs.evolve(index.config.stories, candidates_per_document=per_document),
        )
        view = index.using(config)
        scanned = _looser_pairs(view.scan(config))
        for name in SEED:
            found = {(m.doc_id, m.relation) for m in view.query(seed(name))
                     if m.relation in _LOOSER}
            assert len(found) <= per_document
            if per_document == 5:  # the seeds have fewer candidates than that: all agree
                assert found == scanned.get(seed(name).id, set())
            else:
                assert found <= scanned.get(seed(name).id, set())


def _as_format_1(path: Path) -> None:
    """The file as dedup wrote format 1: no content words, no document frequencies."""
    with sqlite3.connect(path) as db:
        db.execute("ALTER TABLE documents DROP COLUMN words")
        db.execute("DROP TABLE shingle_df")
        db.execute("DROP TABLE word_df")
        db.execute("PRAGMA user_version = 1")


def _table(path: Path, name: str) -> list[tuple[int, int]]:
    with sqlite3.connect(path) as db:
        return db.execute(f"SELECT * FROM {name} ORDER BY 1").fetchall()


def test_a_format_1_index_migrates_to_the_same_frequencies_and_answers(seeded: Path) -> None:
    with Index.open(seeded) as index:
        before = {name: index.query(seed(name)) for name in SEED}
    frequencies = {name: _table(seeded, name) for name in ("shingle_df", "word_df")}
    _as_format_1(seeded)
    with pytest.raises(IndexFileError, match="dedup index migrate"):
        Index.open(seeded)
    from dedup.index import upgrade

    assert upgrade(seeded) == [1]
    assert {name: _table(seeded, name) for name in frequencies} == frequencies
    with Index.open(seeded) as index:
        assert {name: index.query(seed(name)) for name in SEED} == before


def test_removing_and_re_adding_keeps_the_document_frequencies(seeded: Path) -> None:
    frequencies = {name: _table(seeded, name) for name in ("shingle_df", "word_df")}
    with Index.open(seeded) as index:
        index.remove([seed("004").id])
        assert _table(seeded, "word_df") != frequencies["word_df"]
        index.add([seed("004")])
    assert {name: _table(seeded, name) for name in frequencies} == frequencies
