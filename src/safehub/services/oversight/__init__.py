"""Independent oversight as use cases: the measures and their facts, disparity monitoring, the
oversight body's portal and the published report.

- ``disparities``: disparity monitoring of a period (``build_disparities``, system only) from
  the pseudonymous units, and the stored comparisons with their plain statement
  (``read_disparities``).
- ``portal``: the oversight body's aggregate pages and the register of its queries.
- ``sample``: audit samples of pseudonymised, redacted case files and the inspector's findings.
- ``report``: the report's figures for a period, with disclosure control and status against
  target (``build_report_data``), written as HTML, PDF, CSV and area pages (``write_report``).
- ``report_charts``: the report's Vega-Lite charts, rendered to SVG at build time by Node.

Import from the module itself: the web pages must not load WeasyPrint and Node's charts to
show a dashboard.
"""
