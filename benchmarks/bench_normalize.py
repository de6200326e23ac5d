"""Throughput of ``dedup.normalization.normalize`` on English news and on other scripts.

    python benchmarks/bench_normalize.py                 # every sample, best of 3
    python benchmarks/bench_normalize.py --repeat 5 --limit 2000

Samples:

- ``reuters``: Reuters-21578 bodies, read with ``reuters_to_jsonl.stories()`` from
  ../shared/data/reuters21578 when the SGML files are there, else from the JSONL that script
  writes (benchmarks/out/reuters.jsonl);
- ``ecb+``: ECB+ news documents (../shared/data/ecb_plus/ecbplus_docs.jsonl);
- ``markup``: the English texts with HTML tags, entities, Markdown links and URLs added, so that
  masking runs;
- ``accented``, ``cyrillic``, ``greek``, ``cjk``: synthetic news-like text, generated here from
  a seeded random choice of words, so that non-ASCII scripts are measured too (``accented`` is
  mostly ASCII: French/German/Polish prose).

A run over a sample calls ``normalize`` once per text; the best of ``--repeat`` runs is kept
(the first run also fills normalize's caches, as a long scan would). MB are UTF-8 megabytes.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from reuters_to_jsonl import stories

from dedup.normalization import normalize

HERE = Path(__file__).resolve().parent
DATA = HERE.parent.parent / "shared" / "data"

_WORDS = {
    "accented": (
        "le gouvernement français a annoncé une réforme économique à Paris après la réunion "
        "des ministres où l'opposition a critiqué le président qu'il était déjà trop tard "
        "die Bundesregierung hat am Mittwoch in Berlin beschlossen dass die Straße über "
        "den Fluss für Fußgänger geöffnet wird Müller sagte Łódź Kraków Gdańsk władze "
        "of the the and a in to said on Tuesday minister Reuters company percent"
    ),
    "cyrillic": (
        "Москва правительство России заявило во вторник что министр иностранных дел "
        "Сергей Лавров встретится с коллегами в Женеве по вопросам безопасности и "
        "экономического сотрудничества компания Газпром сообщила о росте прибыли на 15 % "
        "агентство ТАСС пресс-служба Кремля Борисов"
    ),
    "greek": (
        "Η κυβέρνηση ανακοίνωσε την Τρίτη νέα μέτρα για την οικονομία της Ελλάδας ο "
        "υπουργός Οικονομικών δήλωσε στην Αθήνα ότι η ανάπτυξη θα φτάσει το 2 % φέτος "
        "σύμφωνα με την Τράπεζα της Ελλάδος οι εξαγωγές αυξήθηκαν"
    ),
    "cjk": (
        "東京 新聞 政府 は 火曜日 に 経済 対策 を 発表 した 首相 は 記者会見 で 景気 回復 を "
        "強調 した ニュース 北京 新华社 报道 中国 国务院 总理 表示 经济 增长 保持 稳定"
    ),
}
_CJK_PUNCTUATION = ["。", "、", "「", "」", ""]
_LATIN_PUNCTUATION = [".", ",", "", "", "", " —", ":", "«", "»"]


def _synthetic(script: str, count: int, rng: random.Random) -> list[str]:
    """``count`` news-like texts of about 600 characters in ``script``."""
    words = _WORDS[script].split()
    cjk = script == "cjk"
    texts = []
    for _ in range(count):
        parts: list[str] = []
        while sum(map(len, parts)) < (250 if cjk else 600):
            punctuation = rng.choice(_CJK_PUNCTUATION if cjk else _LATIN_PUNCTUATION)
            parts.append(rng.choice(words) + punctuation)
            if rng.random() < 0.08:
                parts.append("\n")
        texts.append(("" if cjk else " ").join(parts))
    return texts


_MARKUP = [
    "<p>", "</p>", '<a href="https://example.com/news?id=1&amp;b=2">', "</a>", "&amp;",
    "&eacute;", "&#8217;", "[the report](http://example.com/r)", "http://reut.rs/x1.",
    "www.example.org/a,", "<!-- ad -->", "&nbsp;", "<br/>",
]  # fmt: skip


def _with_markup(texts: list[str], rng: random.Random) -> list[str]:
    """``texts`` with a markup fragment inserted between about one word in eight."""
    marked = []
    for text in texts:
        words = text.split(" ")
        marked.append(
            " ".join(w + rng.choice(_MARKUP) if rng.random() < 0.12 else w for w in words)
        )
    return marked


def _reuters() -> list[str]:
    root = DATA / "reuters21578"
    if any(root.glob("reut2-*.sgm")):
        return [story["text"] for story in stories(root)]
    jsonl = HERE / "out" / "reuters.jsonl"
    return _jsonl_texts(jsonl, "text") if jsonl.exists() else []


def _jsonl_texts(path: Path, field: str) -> list[str]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line)[field] for line in lines if line.strip()]


def samples(limit: int | None) -> Iterator[tuple[str, list[str]]]:
    rng = random.Random(7)
    english = _reuters()[:limit]
    if english:
        yield "reuters", english
    ecb = DATA / "ecb_plus" / "ecbplus_docs.jsonl"
    ecb_texts = _jsonl_texts(ecb, "text")[:limit] if ecb.exists() else []
    if ecb_texts:
        yield "ecb+", ecb_texts
    yield "markup", _with_markup((english or ecb_texts)[:2000], rng)
    for script in _WORDS:
        yield script, _synthetic(script, min(limit or 3000, 3000), rng)


def best_time(texts: list[str], repeat: int) -> tuple[float, int]:
    """Best wall time of ``repeat`` runs over ``texts``, and the number of tokens made."""
    best, tokens = float("inf"), 0
    for _ in range(repeat):
        start = time.process_time()
        tokens = sum(len(normalize(text).tokens) for text in texts)
        best = min(best, time.process_time() - start)
    return best, tokens


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per sample (best is kept)")
    parser.add_argument("--limit", type=int, default=None, help="texts per sample at most")
    parser.add_argument("--sample", action="append", help="run only these samples")
    args = parser.parse_args()
    print(f"{'sample':<10} {'texts':>6} {'MB':>7} {'s':>7} {'MB/s':>7} {'tokens/s':>10}")
    for name, texts in samples(args.limit):
        if args.sample and name not in args.sample:
            continue
        megabytes = sum(len(text.encode()) for text in texts) / 1e6
        seconds, tokens = best_time(texts, args.repeat)
        print(
            f"{name:<10} {len(texts):>6} {megabytes:>7.2f} {seconds:>7.3f} "
            f"{megabytes / seconds:>7.2f} {tokens / seconds:>10,.0f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
