"""SQL of victim-centred practice, by sub-feature (read by ``services/practice``).

- ``notes``: who may see a case's notes, note versions and their language checks, the notes a
  language audit reads, flags per 100 notes, and the local language rules;
- ``children``: who may see a child, what agencies' records say about them, the indicator
  checklist and its assessments, the child's voice, and support;
- ``victims``: the victim-treated-as-offender alert and its oversight measure.
"""
