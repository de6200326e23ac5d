"""Turn Reuters-21578 (22 SGML files) into JSONL for ``dedup scan``.

One line per story: ``{"id": NEWID, "text": BODY, "title", "date" (ISO), "dateline"}``. Stories
without a body keep their title as text so that nothing is silently dropped.

    python benchmarks/reuters_to_jsonl.py ../shared/data/reuters21578 \
        -o benchmarks/out/reuters.jsonl
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

_STORY = re.compile(r"<REUTERS[^>]*NEWID=\"(\d+)\"[^>]*>(.*?)</REUTERS>", re.S)


def _field(story: str, tag: str) -> str:
    found = re.search(rf"<{tag}>(.*?)</{tag}>", story, re.S)
    return html.unescape(found.group(1)).replace("\x03", "").strip() if found else ""


def _iso_date(raw: str) -> str:
    try:
        return datetime.strptime(raw.split()[0], "%d-%b-%Y").date().isoformat()
    except (ValueError, IndexError):
        return ""


def stories(root: Path) -> Iterator[dict[str, str]]:
    """Every story of the corpus, in NEWID order within each file."""
    for path in sorted(root.glob("reut2-*.sgm")):
        for newid, story in _STORY.findall(path.read_text(encoding="latin-1")):
            body, title = _field(story, "BODY"), _field(story, "TITLE")
            yield {
                "id": newid,
                "text": body or title,
                "title": title,
                "date": _iso_date(_field(story, "DATE")),
                "dateline": _field(story, "DATELINE"),
                "has_body": "yes" if body else "no",
            }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path, help="folder with reut2-*.sgm")
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args()
    if not any(args.root.glob("reut2-*.sgm")):
        print(f"no reut2-*.sgm files in {args.root}", file=sys.stderr)
        return 1
    args.output.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with args.output.open("w", encoding="utf-8") as out:
        for story in stories(args.root):
            out.write(json.dumps(story, ensure_ascii=False) + "\n")
            count += 1
    print(f"wrote {count} stories to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
