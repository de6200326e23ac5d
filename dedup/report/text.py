"""The reports for people: the scan report (families, stories, lineage, then pairs with their
scores, then skipped inputs) and the lineage report of ``dedup lineage``."""

from __future__ import annotations

import textwrap
from collections import Counter
from collections.abc import Iterable

from dedup.model import COPY_RELATIONS, Alignment, Pair, ReuseEvidence, ScanResult, Skipped
from dedup.report.escape import display_width, one_line
from dedup.report.lineage import lineage_lines, lineage_section

_MAX_SINGLETONS_LISTED = 20


def scan_to_text(result: ScanResult) -> str:
    """The scan report as text."""
    lines = [_summary(result), ""]
    lines += _families(result)
    lines += _stories(result)
    lines += lineage_section(result)
    lines += _pairs(result.pairs)
    lines += _boilerplate(result)
    lines += _skipped(result)
    lines += _legend(result)
    return "\n".join(lines).rstrip() + "\n"


def lineage_to_text(result: ScanResult) -> str:
    """The report of ``dedup lineage``: a summary line, the lineage trees, then skipped inputs."""
    lineage = result.lineage
    latent = sum(1 for node in lineage.nodes if node.latent)
    summary = (
        f"dedup lineage: {plural(len(result.documents), 'document')}, "
        f"{plural(len(lineage.edges), 'edge')}, {plural(latent, 'latent source')}, "
        f"{len(result.skipped)} skipped"
    )
    body = lineage_lines(lineage) or ["  no lineage claims"]
    lines = [summary, "", *body, "", *_skipped(result)]
    return "\n".join(lines).rstrip() + "\n"


def plural(count: int, word: str, many: str | None = None) -> str:
    """``count`` and the word, in the plural (``many``, or the word with an s) unless one."""
    return f"{count} {word if count == 1 else many or word + 's'}"


def _summary(result: ScanResult) -> str:
    copies = [f for f in result.families if len(f.members) > 1]
    return (
        f"dedup scan: {plural(len(result.documents), 'document')}, "
        f"{plural(len(copies), 'family', 'families')} of copies, "
        f"{plural(len(result.pairs), 'pair')}{_pair_counts(result.pairs)}, "
        f"{len(result.skipped)} skipped"
    )


def _pair_counts(pairs: tuple[Pair, ...]) -> str:
    """`` (1 copy, 2 same story)``: the pairs by kind, copies together."""
    kinds = Counter("copy" if p.relation in COPY_RELATIONS else p.relation.value for p in pairs)
    if not kinds:
        return ""
    named = {"copy": ("copy", "copies"), "rewrite": ("rewrite", "rewrites"),
             "partial-reuse": ("partial reuse", "partial reuse"),
             "same-story": ("same story", "same story")}
    order = ["copy", "rewrite", "partial-reuse", "same-story"]
    parts = [f"{kinds[k]} {named[k][0] if kinds[k] == 1 else named[k][1]}"
             for k in order if kinds[k]]
    return f" ({', '.join(parts)})"


def _families(result: ScanResult) -> list[str]:
    copies = [f for f in result.families if len(f.members) > 1]
    singles = [f.members[0] for f in result.families if len(f.members) == 1]
    lines = ["Families of copies" if copies else "Families of copies: none found"]
    for family in copies:
        flag = ", loosely linked: check it" if family.loose else ""
        lines.append(
            f"  {family.id} ({len(family.members)} documents, cohesion {family.cohesion:.2f}{flag})"
        )
        lines += [f"    {one_line(member)}" for member in family.members]
    lines.append(f"Singletons (no copy found): {len(singles)}")
    lines += [f"    {one_line(member)}" for member in singles[:_MAX_SINGLETONS_LISTED]]
    if len(singles) > _MAX_SINGLETONS_LISTED:
        lines.append(f"    … and {len(singles) - _MAX_SINGLETONS_LISTED} more (see --format json)")
    return [*lines, ""]


def _stories(result: ScanResult) -> list[str]:
    """Story families of more than one document (the same story, copied or written anew)."""
    if not result.config.story:
        return []
    stories = [f for f in result.stories if len(f.members) > 1]
    lines = ["Story families (copies, rewrites and same-story)" if stories
             else "Story families: none found"]
    for story in stories:
        size = len(story.members)
        lines.append(f"  {story.id} ({size} documents, cohesion {story.cohesion:.2f})")
        lines += [f"    {one_line(member)}" for member in story.members]
    return [*lines, ""]


def _pairs(pairs: tuple[Pair, ...]) -> list[str]:
    if not pairs:
        return ["Pairs: none", ""]
    lines = ["Pairs (copies: jaccard, containment a-in-b / b-in-a; others: what they share)"]
    width_a = min(_MAX_ID_COLUMN, max(display_width(one_line(p.a)) for p in pairs))
    width_b = min(_MAX_ID_COLUMN, max(display_width(one_line(p.b)) for p in pairs))
    for pair in pairs:
        a, b = _padded(one_line(pair.a), width_a), _padded(one_line(pair.b), width_b)
        head = f"  {pair.relation.value:<16} {a}  ~  {b}"
        if pair.relation in COPY_RELATIONS or pair.evidence is None:
            lines.append(f"{head}   {_scores(pair)}")
        else:
            lines += [head.rstrip(), f"      {_scores(pair)}"]
        if pair.alignment is not None:
            lines.append(passages_line(pair.alignment))
    return [*lines, ""]


#: Ids longer than this are not padded to: one long id must not push every row off screen.
_MAX_ID_COLUMN = 48


def _padded(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))


_TERMS = (
    ("cohesion", "how alike a family's members are: for copies the typical Jaccard of two "
     "members, for stories the mean share of rare words between its parts"),
    ("J, C", "Jaccard of the two texts' word 5-gram sets; containment: the share of one "
     "text's 5-grams found in the other"),
    ("shared shingles", "word 5-grams both texts hold (a passage of w words gives w - 4), "
     "boilerplate left out"),
    ("rare words", "content words both hold, weighed by how few documents use them; cover: "
     "the share of each text's rare-word weight that the other holds"),
    ("order", "how closely the shared words come in the same order (-1 to 1): a rewrite "
     "follows its source"),
    ("confidence", "the estimated probability that a lineage edge is right, direction "
     "included; each line under it is a piece of evidence"),
)


def _legend(result: ScanResult) -> list[str]:
    """The terms of the report, once (docs/concepts.md says more)."""
    if not result.pairs:
        return []
    lines = ["Terms (docs/concepts.md)"]
    for term, meaning in _TERMS:
        lines += textwrap.wrap(f"{term}: {meaning}", 92, initial_indent="  ",
                               subsequent_indent="      ")
    return [*lines, ""]


def _scores(pair: Pair) -> str:
    """A copy's exact scores; for the looser relations, the evidence they rest on."""
    evidence = pair.evidence
    if pair.relation in COPY_RELATIONS or evidence is None:
        c = pair.containment
        return f"J={pair.jaccard:.3f}  C={c.a_in_b:.3f}/{c.b_in_a:.3f}"
    return evidence_line(evidence)


def evidence_line(evidence: ReuseEvidence) -> str:
    """What a looser pair shares, in one line (the scan's and the query's reports)."""
    verbatim = (f"{plural(evidence.shared_shingles, 'shared shingle')}, "
                if evidence.shared_shingles else "")
    return (f"{verbatim}{plural(evidence.rare_words, 'rare word')} in common (cover "
            f"{evidence.rare_cover:.0%} of the shorter, {evidence.rare_cover_longer:.0%} of the "
            f"longer), order {evidence.order:+.2f}")


def _boilerplate(result: ScanResult) -> list[str]:
    """The widespread passages set aside: never evidence of reuse or of one story."""
    if not result.boilerplate:
        return []
    lines = ["Boilerplate set aside (passages many copy families carry; not evidence of reuse)"]
    for item in result.boilerplate:
        text = one_line(item.text if len(item.text) <= 70 else item.text[:69] + "…")
        lines.append(f"  {item.documents:>5} × \"{text}\"  (e.g. {one_line(item.example)})")
    return [*lines, ""]


def passages_line(alignment: Alignment) -> str:
    """One line under a pair: its passages and how much of each text they cover."""
    kinds = Counter(str(p.kind) for p in alignment.passages)
    detail = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
    cover = alignment.coverage
    return (
        f"    {plural(len(alignment.passages), 'passage')}"
        + (f" ({detail})" if detail else "")
        + f"; aligned a {cover.a.total:.1%} (verbatim {cover.a.verbatim:.1%}),"
        + f" b {cover.b.total:.1%} (verbatim {cover.b.verbatim:.1%})"
    )


def _skipped(result: ScanResult) -> list[str]:
    if not result.skipped:
        return []
    return [
        "Skipped inputs",
        *(f"  {one_line(path)}: {one_line(reason)}" for path, reason in folded(result.skipped)),
    ]


def folded(skipped: Iterable[Skipped]) -> list[tuple[str, str]]:
    """The skipped inputs as (path, reason) lines, the records of one file skipped for the same
    reason folded into one line (3,012 records without a text field are one line, not 3,012)."""
    groups: dict[tuple[str, str], list[str]] = {}
    for item in skipped:
        file, _, number = item.path.rpartition(":")
        key = (file, item.reason) if file and number.isdigit() else (item.path, item.reason)
        groups.setdefault(key, []).append(item.path)
    lines = []
    for (path, reason), paths in groups.items():
        if len(paths) == 1:
            lines.append((paths[0], reason))
        else:
            first = paths[0].rpartition(":")[2]
            lines.append((path, f"{len(paths)} records (the first at {first}): {reason}"))
    return lines
