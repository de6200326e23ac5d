"""``--html-extract main``: a page's main content only, without navigation, widgets, related
links and footers (extra ``html``: trafilatura, a well-kept main-content extractor).

The plain extractor (``html.py``) keeps every visible word, so two pages of one story on two
sites share their story but not their templates, and two stories of one site share the
template. The page's title, date and url still come from the plain reading of its head.
"""

from __future__ import annotations

from types import ModuleType

from dedup.errors import MissingExtraError

#: The modes of ``LoadConfig.html_extract``.
HTML_EXTRACTS = ("visible", "main")


def trafilatura_module() -> ModuleType:
    """``trafilatura``, or MissingExtraError naming the install command."""
    try:
        import trafilatura
    except ImportError as error:
        raise MissingExtraError(
            "--html-extract main needs trafilatura: pip install 'dedup-lineage[html]'"
        ) from error
    module: ModuleType = trafilatura
    return module


def main_text(page: str) -> str | None:
    """The main content of an HTML page as plain text, paragraphs on their own lines, or None
    when the extractor finds none (the caller falls back on the visible text)."""
    found = trafilatura_module().extract(
        page, include_comments=False, include_tables=True, deduplicate=False
    )
    return found if isinstance(found, str) and found.strip() else None
