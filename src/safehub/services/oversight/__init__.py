"""Independent oversight as use cases: the measures and their facts, disparity monitoring, the
oversight body's portal and the published report.

- ``catalogue``: the measures of the national strategy as data (``oversight_measure``), in one
  typed tuple that the rebuild writes to the table.
- ``facts``: the rebuild job (``rebuild_facts``, system only): counts per measure, area and month
  (``oversight_fact``) and the pseudonymous units of disparity monitoring (``oversight_unit``),
  from what staff do in Safehub and what agencies send in extracts.
- ``results``: each measure's value, target, status and monthly trend for a period and area
  (``measure_results``), read from the facts only.
- ``disparities``: disparity monitoring of a period (``build_disparities``, system only) from
  the pseudonymous units, and the stored comparisons with their plain statement
  (``read_disparities``).
- ``portal``: the oversight body's aggregate pages and the register of its queries.
- ``sample``: audit samples of pseudonymised, redacted case files and the inspector's findings.
- ``report``: the report's figures for a period, with disclosure control and status against
  target (``build_report_data``), written as HTML, PDF, CSV and area pages (``write_report``).
- ``report_charts``: the report's Vega-Lite charts, rendered to SVG at build time by Node.

Import from the module itself: the web pages must not load WeasyPrint and Node's charts to
show a dashboard. No measure or unit ever feeds back into a decision about a person: nothing in
linkage, networks, alerts, risk or ranking imports this package (``tests/guards/test_layers.py``).
"""
