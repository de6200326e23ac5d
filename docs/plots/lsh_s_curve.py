"""Draw docs/plots/lsh-s-curve.svg: the chance that LSH makes a pair a candidate, by Jaccard.

    python docs/plots/lsh_s_curve.py            # rewrites the SVG beside this script

The curves come from dedup itself (``resolve_bands`` for the default LshParams and
``candidate_probability``), so the plot follows the defaults when they change. Plain SVG, no
plotting library: the docs should not need one to be rebuilt.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from xml.sax.saxutils import escape

from dedup.config import LshParams, ScanConfig
from dedup.lsh.params import candidate_probability, resolve_bands

WIDTH, HEIGHT = 640, 360
LEFT, RIGHT, TOP, BOTTOM = 56, 620, 20, 310
_COLOURS = ("#1f4e8c", "#b5bfcc")


def _x(value: float) -> float:
    return LEFT + value * (RIGHT - LEFT)


def _y(value: float) -> float:
    return BOTTOM - value * (BOTTOM - TOP)


def _curve(bands: int, rows: int) -> str:
    points = (i / 200 for i in range(201))
    return " ".join(f"{_x(s):.1f},{_y(candidate_probability(s, bands, rows)):.1f}" for s in points)


def _text(x: float, y: float, words: str, anchor: str = "start", colour: str = "#3c4654") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{colour}">'
            f"{escape(words)}</text>")


def _axes() -> list[str]:
    parts = [f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#fff"/>',
             f'<path d="M{LEFT},{TOP} V{BOTTOM} H{RIGHT}" stroke="#5b6675" fill="none"/>']
    for tick in range(0, 11, 2):
        value = tick / 10
        parts.append(_text(_x(value), BOTTOM + 16, f"{value:.1f}", "middle"))
        parts.append(_text(LEFT - 8, _y(value) + 4, f"{value:.1f}", "end"))
        parts.append(f'<line x1="{LEFT}" x2="{RIGHT}" y1="{_y(value):.1f}" y2="{_y(value):.1f}" '
                     'stroke="#eef1f4"/>')
    parts.append(_text((LEFT + RIGHT) / 2, BOTTOM + 36, "Jaccard similarity of the pair", "middle"))
    parts.append(f'<text transform="translate(16 {(TOP + BOTTOM) / 2}) rotate(-90)" '
                 'text-anchor="middle" fill="#3c4654">probability of becoming a candidate</text>')
    return parts


def _marker(value: float, label: str, row: int) -> list[str]:
    return [f'<line x1="{_x(value):.1f}" x2="{_x(value):.1f}" y1="{TOP}" y2="{BOTTOM}" '
            'stroke="#c2410c" stroke-dasharray="4 3"/>',
            _text(_x(value) + 4, TOP + 12 + 14 * row, label, colour="#c2410c")]


def svg() -> str:
    """The plot: the default S-curve, a stricter one for contrast, the scan's thresholds."""
    config = ScanConfig()
    num_perm = config.sketch.num_perm
    parts = _axes()
    curves = ((config.lsh.threshold, "default"), (0.5, "--lsh-threshold 0.5"))
    for row, (threshold, name) in enumerate(curves):
        bands, rows = resolve_bands(LshParams(threshold=threshold), num_perm)
        parts.append(f'<polyline points="{_curve(bands, rows)}" fill="none" '
                     f'stroke="{_COLOURS[row]}" stroke-width="{3 - row}"/>')
        label = f"{name}: {bands} bands of {rows} rows (LSH tuned at {threshold:.1f})"
        parts.append(_text(RIGHT - 4, BOTTOM - 40 + 16 * row, label, "end", _COLOURS[row]))
    parts += _marker(config.min_jaccard, f"no copy pair below {config.min_jaccard:.1f}", 0)
    parts += _marker(config.threshold, f"near-duplicate at {config.threshold:.1f}", 1)
    body = "\n".join(parts)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
            f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="12">\n'
            f"<title>LSH S-curve for {num_perm} permutations</title>\n{body}\n</svg>\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path,
                        default=Path(__file__).with_name("lsh-s-curve.svg"))
    args = parser.parse_args()
    args.output.write_text(svg(), encoding="utf-8")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
