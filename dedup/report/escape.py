"""Text for a terminal: what a file, an id or a document holds must not act on the terminal.

ESC starts sequences that clear the screen, set the window title or fake colours; C1 controls
do the same on some terminals; line breaks split a report's lines; bidi overrides reorder what
follows them (``invoice_<U+202E>fdp.exe`` reads as ``invoice_exe.pdf``). Each is shown as its
Python escape instead (``\\x1b``, ``\\n``, ``\\u202e``). Joiners (U+200C/D) and ordinary
non-ASCII text pass unchanged.
"""

from __future__ import annotations

import re
import unicodedata

_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def one_line(text: str) -> str:
    """``text`` safe to print on one line of a terminal: controls, line breaks, bidi controls
    and lone surrogates escaped."""
    return _UNSAFE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    return match.group().encode("unicode_escape", "backslashreplace").decode("ascii")


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: wide (CJK) characters two, combining marks none."""
    return sum(_char_width(c) for c in text)


def _char_width(char: str) -> int:
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in "WF" else 1


def cut_to_width(text: str, width: int) -> list[str]:
    """``text`` in pieces of at most ``width`` columns (a wide character is never split)."""
    pieces: list[str] = []
    piece: list[str] = []
    used = 0
    for char in text:
        size = _char_width(char)
        if piece and used + size > width:
            pieces.append("".join(piece))
            piece, used = [], 0
        piece.append(char)
        used += size
    return [*pieces, "".join(piece)] if piece else pieces
