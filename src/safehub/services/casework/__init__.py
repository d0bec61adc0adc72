"""Casework: referrals, cases and their chronology, people and search.

- ``referrals``: a referral from any agency, written one question at a time or sent whole by the
  API (``ReferralDraft``, ``record_referral``);
- ``cases``: a case's team and merged multi-agency chronology (``view_case``, ``open_case``);
- ``people``: what a user may see of a person, and search (``view_person``, ``search_people``).
"""
