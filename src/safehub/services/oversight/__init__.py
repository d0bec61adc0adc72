"""Independent oversight's use cases (issue 17).

- ``disparities``: disparity monitoring of a period (``build_disparities``): the pseudonymous
  units (``oversight_unit``) compared across groups by the engine (``safehub.oversight``), the
  results written to ``oversight_disparity``.

No measure or unit ever feeds back into a decision about a person: nothing in linkage, networks,
alerts, risk or ranking imports this package.
"""
