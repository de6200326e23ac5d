"""The lineage graph as the reports show it (JSON shape, text tree), on hand-built graphs."""

import json

import pytest

from dedup import (
    Document,
    Evidence,
    EvidenceKind,
    Lineage,
    LineageEdge,
    LineageNode,
    Relation,
    ScanConfig,
    ScanResult,
    Skipped,
)
from dedup.report import (
    LINEAGE_SCHEMA,
    SCAN_SCHEMA,
    SCAN_SCHEMA_LINEAGE,
    SCAN_SCHEMA_PASSAGES,
    SCAN_SCHEMA_TIERS,
    lineage_report_to_dict,
    lineage_to_text,
    scan_to_dict,
    scan_to_json,
    scan_to_text,
)

INNOVATION = Evidence(EvidenceKind.SHARED_INNOVATION, '"Related article: Tiny Meteorite"', 2.57143)
ADDITIONS = Evidence(EvidenceKind.ADDITIONS, "byline and footer", 0.4)


def edge(
    source: str,
    target: str,
    confidence: float = 0.8,
    evidence: tuple[Evidence, ...] = (),
    relation: Relation = Relation.NEAR_DUPLICATE,
    primary: bool = True,
) -> LineageEdge:
    return LineageEdge(source, target, confidence, evidence, relation, primary)


def graph(*edges: LineageEdge, latent: tuple[str, ...] = ()) -> Lineage:
    ids = sorted({e.source for e in edges} | {e.target for e in edges})
    return Lineage(tuple(LineageNode(i, latent=i in latent) for i in ids), edges)


def result(
    lineage: Lineage, config: ScanConfig | None = None, skipped: tuple[Skipped, ...] = ()
) -> ScanResult:
    """A scan of the graph's documents and one more that is in no edge."""
    ids = sorted({n.id for n in lineage.nodes if not n.latent} | {"lonely.txt"})
    return ScanResult(
        documents=tuple(Document(i, "some text") for i in ids),
        skipped=skipped,
        pairs=(),
        families=(),
        config=config or ScanConfig(),
        lineage=lineage,
    )


def lineage_block(text: str) -> list[str]:
    """The lines of the scan report's Lineage section, heading excluded."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Lineage"))
    end = lines.index("", start)
    return lines[start + 1 : end]


# --- JSON --------------------------------------------------------------------------------------


def test_scan_json_carries_the_graph_under_schema_3() -> None:
    lineage = graph(edge("b.txt", "a.txt", 0.890271, evidence=(INNOVATION, ADDITIONS)))
    data = json.loads(scan_to_json(result(lineage)))
    assert data["schema"] == SCAN_SCHEMA_TIERS
    assert data["lineage"] == {
        "nodes": [{"id": "a.txt", "latent": False}, {"id": "b.txt", "latent": False}],
        "edges": [
            {
                "source": "b.txt",
                "target": "a.txt",
                "confidence": 0.89,
                "relation": "near-duplicate",
                "primary": True,
                "evidence": [
                    {
                        "kind": "shared-innovation",
                        "detail": '"Related article: Tiny Meteorite"',
                        "weight": 2.571,
                    },
                    {"kind": "additions", "detail": "byline and footer", "weight": 0.4},
                ],
            }
        ],
    }


def test_an_empty_lineage_is_still_reported_when_the_scan_traced_it() -> None:
    data = scan_to_dict(result(Lineage((), ())))
    assert data["schema"] == SCAN_SCHEMA_TIERS
    assert data["lineage"] == {"nodes": [], "edges": []}


@pytest.mark.parametrize(
    ("config", "schema"),
    [
        (ScanConfig(lineage=False), SCAN_SCHEMA_TIERS),
        (ScanConfig(lineage=False, story=False), SCAN_SCHEMA),
        (ScanConfig(lineage=False, story=False, passages=True), SCAN_SCHEMA_PASSAGES),
        (ScanConfig(story=False), SCAN_SCHEMA_LINEAGE),
    ],
)
def test_without_lineage_the_report_keeps_the_older_schema(config: ScanConfig, schema: str) -> None:
    data = scan_to_dict(result(Lineage((), ()), config))
    assert data["schema"] == schema
    assert ("lineage" in data) == config.lineage


def test_latent_nodes_are_flagged_in_json() -> None:
    lineage = graph(edge("latent:F1", "a.txt"), edge("latent:F1", "b.txt"), latent=("latent:F1",))
    nodes = scan_to_dict(result(lineage))["lineage"]["nodes"]
    assert {"id": "latent:F1", "latent": True} in nodes
    assert {"id": "a.txt", "latent": False} in nodes


def test_lineage_report_has_its_schema_the_graph_and_the_skipped_inputs() -> None:
    lineage = graph(edge("b.txt", "a.txt", primary=False, relation=Relation.PARTIAL_REUSE))
    skipped = (Skipped("gone.txt", "no such file or directory"),)
    data = lineage_report_to_dict(result(lineage, skipped=skipped))
    assert data["schema"] == LINEAGE_SCHEMA
    assert data["edges"][0]["primary"] is False
    assert data["edges"][0]["relation"] == "partial-reuse"
    assert data["nodes"] == scan_to_dict(result(lineage))["lineage"]["nodes"]
    assert data["skipped"] == [{"path": "gone.txt", "reason": "no such file or directory"}]


def test_odd_ids_survive_json_unchanged() -> None:
    odd = 'quote " back\\slash\nnewline\ttab é 東京.txt'
    lineage = graph(edge(odd, "a.txt"))
    data = json.loads(scan_to_json(result(lineage)))
    assert data["lineage"]["edges"][0]["source"] == odd
    assert odd in [node["id"] for node in data["lineage"]["nodes"]]


# --- text --------------------------------------------------------------------------------------


def test_tree_shows_roots_first_then_copies_indented_in_id_order() -> None:
    lineage = graph(
        edge("root.txt", "b.txt", 0.9),
        edge("root.txt", "a.txt", 0.7),
        edge("a.txt", "c.txt", 0.65),
    )
    assert lineage_block(scan_to_text(result(lineage))) == [
        "  root.txt",
        "  ├─ a.txt  (near-duplicate, confidence 0.70)",
        "  │  └─ c.txt  (near-duplicate, confidence 0.65)",
        "  └─ b.txt  (near-duplicate, confidence 0.90)",
    ]


def test_child_line_names_relation_confidence_and_each_evidence_kind_with_its_detail() -> None:
    lineage = graph(edge("002.txt", "001.txt", 0.78, evidence=(INNOVATION, ADDITIONS)))
    child = lineage_block(scan_to_text(result(lineage)))[1]
    assert child == (
        '  └─ 001.txt  (near-duplicate, confidence 0.78: shared-innovation "Related article: '
        'Tiny Meteorite"; additions byline and footer)'
    )


def test_evidence_against_the_direction_is_marked_and_long_details_are_cut() -> None:
    against = Evidence(EvidenceKind.DATE, "dated 2022-12-21, after its copy", -0.5)
    long = Evidence(EvidenceKind.ADDITIONS, "word " * 40, 0.3)
    child = lineage_block(scan_to_text(result(graph(edge("s", "t", evidence=(against, long))))))[1]
    assert "date dated 2022-12-21, after its copy (against)" in child
    assert child.endswith("word…)")
    assert child.count("word") < 20


def test_latent_source_is_shown_as_the_root_of_its_family() -> None:
    lineage = graph(edge("latent:F1", "a.txt"), edge("latent:F1", "b.txt"), latent=("latent:F1",))
    block = lineage_block(scan_to_text(result(lineage)))
    assert block[0] == "  [latent source of F1]"
    assert [line.split("  (")[0] for line in block[1:]] == ["  ├─ a.txt", "  └─ b.txt"]


def test_secondary_source_is_listed_under_its_target_which_appears_once() -> None:
    lineage = graph(
        edge("002.txt", "001.txt", 0.89),
        edge("001.txt", "004.txt", 0.75, relation=Relation.PARTIAL_REUSE),
        edge("000.txt", "004.txt", 0.64, relation=Relation.PARTIAL_REUSE, primary=False),
    )
    block = lineage_block(scan_to_text(result(lineage)))
    assert block == [
        "  000.txt",
        "  002.txt",
        "  └─ 001.txt  (near-duplicate, confidence 0.89)",
        "     └─ 004.txt  (partial-reuse, confidence 0.75)",
        "        also from 000.txt (partial-reuse, 0.64)",
    ]


def test_separate_groups_each_get_a_tree_and_documents_in_no_edge_are_not_listed() -> None:
    lineage = graph(edge("x2.txt", "x1.txt"), edge("a2.txt", "a1.txt"))
    block = lineage_block(scan_to_text(result(lineage)))
    assert [line.split("  (")[0] for line in block] == [
        "  a2.txt", "  └─ a1.txt", "  x2.txt", "  └─ x1.txt"
    ]
    assert "lonely.txt" not in "\n".join(block)


def test_odd_ids_stay_on_one_line_in_the_tree() -> None:
    lineage = graph(edge("evil\nid\t.txt", "a.txt"))
    block = lineage_block(scan_to_text(result(lineage)))
    assert block[0] == "  evil\\nid\\t.txt"
    assert len(block) == 2


def test_lineage_section_comes_after_families_and_before_pairs() -> None:
    text = scan_to_text(result(graph(edge("b.txt", "a.txt"))))
    assert text.index("Families of copies") < text.index("Lineage") < text.index("Pairs")


def test_empty_lineage_says_so_in_one_line_and_no_lineage_says_nothing() -> None:
    assert "Lineage: no lineage claims\n" in scan_to_text(result(Lineage((), ())))
    assert "Lineage" not in scan_to_text(result(Lineage((), ()), ScanConfig(lineage=False)))


def test_lineage_report_text_has_a_summary_the_tree_and_skipped_inputs() -> None:
    lineage = graph(edge("latent:F1", "a.txt"), edge("latent:F1", "b.txt"), latent=("latent:F1",))
    skipped = (Skipped("gone.txt", "no such file or directory"),)
    text = lineage_to_text(result(lineage, skipped=skipped))
    assert text.splitlines()[0] == (
        "dedup lineage: 3 documents, 2 edges, 1 latent source, 1 skipped"
    )
    assert "  [latent source of F1]\n  ├─ a.txt" in text
    assert text.endswith("Skipped inputs\n  gone.txt: no such file or directory\n")
    assert "no lineage claims" in lineage_to_text(result(Lineage((), ())))


def test_a_chain_of_copies_deeper_than_the_recursion_limit_is_rendered() -> None:
    depth = 1500  # above the default recursion limit of 1000
    lineage = graph(*(edge(f"d{i:05}", f"d{i + 1:05}") for i in range(depth)))
    block = lineage_block(scan_to_text(result(lineage)))
    assert len(block) == depth + 1
    assert block[-1].endswith("└─ d01500  (near-duplicate, confidence 0.80)")
