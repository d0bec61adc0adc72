"""What each kind of alert is about, in words (never the rule that raised it). A sealed alert's
own row is titled with these words alone: its real title rests on another agency's records."""

from __future__ import annotations

KIND_LABELS = {
    "network_child_linked": "A child linked to an adult already linked to other children",
    "network_child_risk": "A child at the centre of several adults of concern",
    "network_group": "A new record connected to a known group",
    "licence_holder": "A licence holder recorded in an exploitation record",
    "victim_treated_as_offender": "A child victim treated as an offender",
    "break_glass": "Someone broke the glass to see a record",
    "disclosure_request": "A request to disclose records",
}


def kind_label(kind: str) -> str:
    """
    >>> kind_label("network_group"), kind_label("new_rule")
    ('A new record connected to a known group', 'New rule')
    """
    return KIND_LABELS.get(kind, kind.replace("_", " ").capitalize())
