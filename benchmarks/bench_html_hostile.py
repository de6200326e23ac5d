"""Time to extract the text of hostile HTML pages: dedup's extractor beside the stdlib HTMLParser.

    python benchmarks/html_hostile.py [--sizes 50,100,200,400] [--no-stdlib]

The page is an unclosed ``<!--`` followed by ``<a`` repeated (the case the stdlib parses in
quadratic time). Single process; the stdlib run at 400 KB takes about two minutes.
"""

from __future__ import annotations

import argparse
import time
from html.parser import HTMLParser

from dedup.loading.html import html_to_text


def hostile_page(kilobytes: int) -> str:
    """An unclosed comment opener followed by ``<a`` until the page is ``kilobytes`` KB."""
    return "<!--" + "<a" * (kilobytes * 1024 // 2)


def _seconds(run: object, markup: str) -> float:
    start = time.perf_counter()
    run(markup)  # type: ignore[operator]
    return time.perf_counter() - start


def _stdlib(markup: str) -> None:
    parser = HTMLParser(convert_charrefs=True)
    parser.feed(markup)
    parser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="50,100,200,400")
    parser.add_argument("--no-stdlib", action="store_true")
    args = parser.parse_args()
    print(f"{'KB':>5} {'dedup s':>10} {'stdlib HTMLParser s':>20}")
    for kilobytes in (int(size) for size in args.sizes.split(",")):
        markup = hostile_page(kilobytes)
        ours = _seconds(html_to_text, markup)
        theirs = "-" if args.no_stdlib else f"{_seconds(_stdlib, markup):.2f}"
        print(f"{kilobytes:>5} {ours:>10.4f} {theirs:>20}", flush=True)


if __name__ == "__main__":
    main()
