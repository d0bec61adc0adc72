"""Sharing across agencies on a lawful basis, and its oversight.

- ``agreements``: information-sharing agreements and the access view every read goes through
  (``load_access``: need to know, sealed envelopes, restricted people);
- ``disclosures``: asking another agency to open its sealed records, and its decision;
- ``break_glass``: opening a record in an emergency, with a reason the DPO reads;
- ``dpo``: who looked at a child, what a member of staff looked at, unusual access.
"""
