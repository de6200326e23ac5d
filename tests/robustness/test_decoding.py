"""Issue #23, case 9 (decoding): a UTF-8 file with a few stray bytes keeps its accents."""

from __future__ import annotations

from pathlib import Path

from dedup.loading import load
from dedup.model import Document

FRENCH = "Le café était très élégant à Noël ; l'élève naïve a reçu un cadeau. " * 5


def test_a_utf8_file_with_four_stray_bytes_is_read_as_utf8(tmp_path: Path) -> None:
    data = FRENCH.encode("utf-8")
    (tmp_path / "stray.txt").write_bytes(data[:50] + b"\xff\xfe\x80\x81" + data[50:])

    [document] = [d for d in load([tmp_path]) if isinstance(d, Document)]

    assert document.text.count("\ufffd") == 4
    assert document.text.replace("\ufffd", "") == FRENCH
    assert "Ã" not in document.text  # no mojibake


def test_latin1_text_is_still_read_as_latin1(tmp_path: Path) -> None:
    (tmp_path / "latin1.txt").write_bytes(FRENCH.encode("latin-1"))

    [document] = [d for d in load([tmp_path]) if isinstance(d, Document)]

    assert document.text == FRENCH
