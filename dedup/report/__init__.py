"""Renderings of a scan result: text for people, JSON for programs."""

from dedup.report.diff import DIFF_SCHEMA, diff_to_dict, diff_to_json, diff_to_text
from dedup.report.json import SCAN_SCHEMA, SCAN_SCHEMA_PASSAGES, scan_to_dict, scan_to_json
from dedup.report.text import scan_to_text

__all__ = [
    "DIFF_SCHEMA",
    "SCAN_SCHEMA",
    "SCAN_SCHEMA_PASSAGES",
    "diff_to_dict",
    "diff_to_json",
    "diff_to_text",
    "scan_to_dict",
    "scan_to_json",
    "scan_to_text",
]
