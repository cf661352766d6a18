"""Results: coverage metrics, reports, run folders and the terminal summary."""

from optimizer.results.report import Report, make_report, plan_counts
from optimizer.results.summary import summary_text
from optimizer.results.writer import to_json, write_folder, write_run

__all__ = [
    "Report",
    "make_report",
    "plan_counts",
    "summary_text",
    "to_json",
    "write_folder",
    "write_run",
]
