"""Renderings of a scan result: text and HTML for people, JSON for programs."""

from dedup.report.diff import DIFF_SCHEMA, diff_to_dict, diff_to_json, diff_to_text
from dedup.report.html import scan_to_html
from dedup.report.json import (
    SCAN_SCHEMA,
    SCAN_SCHEMA_LINEAGE,
    SCAN_SCHEMA_PASSAGES,
    SCAN_SCHEMA_TIERS,
    iter_scan_json,
    scan_schema,
    scan_to_dict,
    scan_to_json,
)
from dedup.report.lineage import (
    LINEAGE_SCHEMA,
    lineage_report_to_dict,
    lineage_report_to_json,
    lineage_to_dict,
)
from dedup.report.text import lineage_to_text, scan_to_text

__all__ = [
    "DIFF_SCHEMA",
    "LINEAGE_SCHEMA",
    "SCAN_SCHEMA",
    "SCAN_SCHEMA_LINEAGE",
    "SCAN_SCHEMA_PASSAGES",
    "SCAN_SCHEMA_TIERS",
    "diff_to_dict",
    "diff_to_json",
    "diff_to_text",
    "iter_scan_json",
    "lineage_report_to_dict",
    "lineage_report_to_json",
    "lineage_to_dict",
    "lineage_to_text",
    "scan_schema",
    "scan_to_dict",
    "scan_to_html",
    "scan_to_json",
    "scan_to_text",
]
