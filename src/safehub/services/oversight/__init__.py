"""Independent oversight's use cases (issue 17).

- ``catalogue``: the measures of the national strategy as data (``oversight_measure``), in one
  typed tuple that the rebuild writes to the table.
- ``facts``: the rebuild job (``rebuild_facts``): counts per measure, area and month
  (``oversight_fact``) and the pseudonymous units of disparity monitoring (``oversight_unit``),
  from what staff do in Safehub and what agencies send in extracts.
- ``results``: each measure's value, target, status against target and monthly trend for a
  period and area (``measure_results``), read from the facts only.

No measure or unit ever feeds back into a decision about a person: nothing in linkage, networks,
alerts, risk or ranking imports this package.
"""
