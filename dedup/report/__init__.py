"""Renderings of a scan result: text for people, JSON for programs."""

from dedup.report.json import SCAN_SCHEMA, scan_to_dict, scan_to_json
from dedup.report.text import scan_to_text

__all__ = ["SCAN_SCHEMA", "scan_to_dict", "scan_to_json", "scan_to_text"]
