"""Plain-text and markdown inputs: decoding, binary and empty files, size limit, metadata."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from dedup.config import LoadConfig
from dedup.loading import load
from dedup.loading.text import DecodeError, decode_bytes, parse_date, text_metadata
from dedup.model import Document, Skipped

SEED = Path(__file__).resolve().parents[2] / "seeds" / "002_9ee1089bac769580.txt"

FRENCH = (
    "Le président de la République a annoncé mercredi soir une série de mesures destinées à "
    "soutenir le pouvoir d'achat des Français. « Nous ne laisserons personne sur le bord du "
    "chemin », a-t-il déclaré lors d'une allocution télévisée depuis l'Élysée. Au café, une "
    "élève raconte son Noël ; sa grand-mère, un peu naïve, trouve que c'est déjà l'été."
)


def _load_one(path: Path, config: LoadConfig = LoadConfig()) -> Document | Skipped:
    results = list(load([path], config))
    assert len(results) == 1
    return results[0]


def _document(path: Path) -> Document:
    result = _load_one(path)
    assert isinstance(result, Document), result
    return result


@pytest.mark.parametrize(
    ("bom", "encoding"),
    [
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
    ],
)
def test_a_byte_order_mark_selects_the_encoding_and_is_dropped(
    tmp_path: Path, bom: bytes, encoding: str
) -> None:
    text = "Zürich, 20 décembre — « Привет »\nsecond line\n"
    path = tmp_path / "a.txt"
    path.write_bytes(bom + text.encode(encoding))

    assert _document(path).text == text


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252"])
def test_short_western_legacy_text_decodes_to_the_right_letters(
    tmp_path: Path, encoding: str
) -> None:
    path = tmp_path / "short.txt"
    path.write_bytes("café, élève, Noël, naïve".encode(encoding))

    assert _document(path).text == "café, élève, Noël, naïve"


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252"])
def test_a_french_paragraph_in_latin1_decodes_exactly(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "fr.txt"
    path.write_bytes(FRENCH.encode(encoding))

    assert _document(path).text == FRENCH


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Глава Роскосмоса во вторник похвалил сотрудничество России и США.", "cp1251"),
        ("Příliš žluťoučký kůň úpěl ďábelské ódy. Česká republika leží v Evropě.", "cp1250"),
    ],
)
def test_non_western_legacy_text_keeps_its_detected_encoding(text: str, encoding: str) -> None:
    assert decode_bytes(text.encode(encoding)) == text


def test_text_is_kept_exactly_as_decoded(tmp_path: Path) -> None:
    text = "line one\r\nline two\rline three\n\n  indented\t tab\n"
    path = tmp_path / "crlf.txt"
    path.write_bytes(text.encode("utf-8"))

    assert _document(path).text == text


def test_a_binary_file_named_txt_is_skipped_as_binary(tmp_path: Path) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)))

    result = _load_one(path)

    assert result == Skipped(str(path), "binary file (contains NUL bytes)")


def test_control_characters_without_nul_mean_binary() -> None:
    with pytest.raises(DecodeError, match="binary"):
        decode_bytes(b"\x01\x02\x03\x04\x05abc\x06\x07\x08\x0e\x0f" * 50)


@pytest.mark.parametrize("content", [b"", b"   \n\t\r\n  ", codecs.BOM_UTF8])
def test_an_empty_or_blank_file_is_skipped(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.md"
    path.write_bytes(content)

    assert _load_one(path) == Skipped(str(path), "empty file")


def test_a_file_over_the_size_limit_is_skipped_without_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("x" * 101, encoding="utf-8")

    result = _load_one(path, LoadConfig(max_file_bytes=100))

    assert result == Skipped(str(path), "file too large (101 bytes > limit 100)")


def test_a_file_at_the_size_limit_is_read(tmp_path: Path) -> None:
    path = tmp_path / "ok.txt"
    path.write_text("x" * 100, encoding="utf-8")

    assert isinstance(_load_one(path, LoadConfig(max_file_bytes=100)), Document)


def test_the_seed_article_yields_title_date_and_url() -> None:
    document = _document(SEED)

    assert document.id == SEED.name
    assert dict(document.metadata) == {
        "title": "Russian Space Chief Praises U.S. After ISS Coolant Leak",
        "date": "2022-12-20",
        "url": "https://www.themoscowtimes.com/2022/12/20/"
        "russian-space-chief-praises-us-after-iss-coolant-leak-a79752",
    }
    assert document.text == SEED.read_text(encoding="utf-8")


def test_markdown_metadata_on_one_line() -> None:
    text = "## A headline ##\n\n*Published: Tuesday, 20 Dec. 2022*\n\nBody.\n\nSource: <https://ex.am/ple>.\n"

    assert text_metadata(text) == {
        "title": "A headline",
        "date": "2022-12-20",
        "url": "https://ex.am/ple",
    }


def test_text_without_metadata_has_none() -> None:
    text = "Just a paragraph about 2022 and December.\nSource: Reuters\n\nMore text.\n"

    assert text_metadata(text) == {}


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("December 20, 2022", "2022-12-20"),
        ("20 December 2022", "2022-12-20"),
        ("2022-12-20", "2022-12-20"),
        ("Dec. 20, 2022", "2022-12-20"),
        ("Sept 3rd, 2018", "2018-09-03"),
        ("December 20, 2022 10:15 AM EST", "2022-12-20"),
        ("February 30, 2022", None),
        ("Smarch 20, 2022", None),
        ("On December 20, 2022 the station leaked", None),
    ],
)
def test_date_lines(line: str, iso: str | None) -> None:
    assert parse_date(line) == iso
