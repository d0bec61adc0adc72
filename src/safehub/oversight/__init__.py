"""Independent oversight as an engine: disclosure control of published counts, and the
statistics of disparity monitoring (intervals, tests, corrections for many comparisons).

Pure functions over plain data, no database: the services (``safehub.services.oversight``) read
the facts and units, call these, and store or publish what they return.
"""
