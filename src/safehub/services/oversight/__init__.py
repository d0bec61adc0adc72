"""Independent oversight as use cases: the measures and their facts, disparity monitoring, and the
published report.

- ``report``: the report's figures for a period, with disclosure control and status against
  target (``build_report_data``), written as HTML, PDF, CSV and area pages (``write_report``).
- ``report_charts``: the report's Vega-Lite charts, rendered to SVG at build time by Node.
"""

from safehub.services.oversight.report import (
    ReportData,
    ReportFiles,
    build_report_data,
    status_against_target,
    write_report,
)

__all__ = [
    "ReportData",
    "ReportFiles",
    "build_report_data",
    "status_against_target",
    "write_report",
]
