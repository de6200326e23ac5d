"""The cost and the gain of ``--html-extract main`` against the plain (visible text) extractor.

Web pages made of real stories (Reuters-21578, as JSON Lines from ``reuters_to_jsonl.py``)
inside two site templates with navigation, a "most read" box of other headlines and a footer:
each story is published on both sites. Measured for each extractor: seconds to read the pages,
how two pages of one story score (they should be exact duplicates), and how two different
stories of one site score (they should share nothing).

    python benchmarks/html_extract.py benchmarks/out/reuters.jsonl --stories 300
"""

from __future__ import annotations

import argparse
import html
import json
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import dedup
from dedup.config import LoadConfig

_SITES = {
    "a": ("World Wire", ["Home", "World", "Business", "Markets", "Tech", "Opinion", "Video"]),
    "b": ("The Daily Ledger", ["News", "Economy", "Companies", "Commodities", "Sport", "Life"]),
}


def _page(site: str, story: dict[str, str], others: list[dict[str, str]]) -> str:
    name, sections = _SITES[site]
    nav = "".join(f'<li><a href="/{s.lower()}">{s}</a></li>' for s in sections * 4)
    most_read = "".join(f"<li><a href='/x'>{html.escape(o['title'])}</a></li>" for o in others)
    body = "".join(f"<p>{html.escape(p)}</p>" for p in story["text"].split("\n\n") if p.strip())
    return f"""<!doctype html><html><head><title>{html.escape(story['title'])} | {name}</title>
</head><body><header><h1>{name}</h1><nav><ul>{nav}</ul></nav>
<form><input name="q" placeholder="Search {name}"></form></header>
<main><article><h1>{html.escape(story['title'])}</h1>{body}</article>
<aside><h2>Most read</h2><ol>{most_read}</ol></aside></main>
<footer><p>© 2024 {name}. All rights reserved. Terms of use. Privacy policy. Cookie settings.
Contact us. Advertise with {name}. Subscribe to our newsletter for the day's top stories.</p>
</footer></body></html>"""


def _write_pages(stories: list[dict[str, str]], folder: Path) -> None:
    for i, story in enumerate(stories):
        others = [stories[(i + k) % len(stories)] for k in (1, 2, 3, 5, 8)]
        for site in _SITES:
            (folder / f"{site}{i:04d}.html").write_text(_page(site, story, others), "utf-8")


def _measure(folder: Path, mode: str, count: int) -> dict[str, object]:
    config = LoadConfig(html_extract=mode)  # type: ignore[arg-type]
    start = time.perf_counter()
    docs = {d.id: d for d in dedup.load([folder], config) if isinstance(d, dedup.Document)}
    seconds = time.perf_counter() - start
    same = [dedup.compare(docs[f"a{i:04d}.html"].text, docs[f"b{i:04d}.html"].text)
            for i in range(count)]  # fmt: skip
    other = [dedup.compare(docs[f"a{i:04d}.html"].text, docs[f"a{i + 1:04d}.html"].text)
             for i in range(count - 1)]  # fmt: skip
    return {
        "extractor": mode,
        "pages": len(docs),
        "seconds": round(seconds, 2),
        "ms_per_page": round(1000 * seconds / max(len(docs), 1), 2),
        "same_story_median_jaccard": round(statistics.median(c.jaccard for c in same), 3),
        "same_story_relations": dict(Counter(str(c.relation) for c in same)),
        "other_stories_median_jaccard": round(statistics.median(c.jaccard for c in other), 3),
        "other_stories_called_copies": sum(c.relation is not None for c in other),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("jsonl", type=Path, help="Reuters-21578 as JSON Lines")
    parser.add_argument("--stories", type=int, default=300)
    args = parser.parse_args(argv)
    stories = []
    with args.jsonl.open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            if record.get("title") and len(record.get("text", "").split()) >= 150:
                stories.append(record)
            if len(stories) == args.stories:
                break
    with tempfile.TemporaryDirectory() as tmp:
        _write_pages(stories, Path(tmp))
        for mode in ("visible", "main"):
            print(json.dumps(_measure(Path(tmp), mode, len(stories))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
