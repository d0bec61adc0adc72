"""SQL of identity, by sub-feature (the services in ``services/identity`` read through these).

- ``resolution``: mentions for the matcher, the candidate index, people, merges, the saved model;
- ``pairs``: the pairs that wait for a person, and the review queue;
- ``intake``: the intake check's candidates, what a user may see of them, and its log;
- ``links``: the agency records linked to a person, and the merges that made it one person.
"""
