"""Identity: one person per real person, linked across agencies, with stable ids.

- ``resolution``: bulk and incremental resolution with the saved model, and merging people;
- ``links``: the agency records linked to a person, and undoing a wrong merge or link;
- ``index``: from database rows to the linkage engine and back (mentions, blocking keys, scores);
- ``plan``: which people to merge, given accepted links (a pure plan);
- ``intake``: the real-time check "is this child already known, and to whom?";
- ``review``: the queue of uncertain pairs, decided by a person.

The row types the use cases return from ``db/queries/identity`` (``PendingPair``,
``LinkedAgencyPerson``) are re-exported here for the pages and the API that show them.
"""

from safehub.db.queries.identity.links import LinkedAgencyPerson
from safehub.db.queries.identity.pairs import PendingPair
from safehub.services.identity.intake import (
    Candidate,
    IntakeCheckRefusedError,
    IntakeQuery,
    IntakeResult,
    RateLimitedError,
    check_intake,
    check_referral_child,
    record_known_child,
)
from safehub.services.identity.links import (
    PersonLinks,
    split_agency_person,
    undo_merge,
    view_person_links,
)
from safehub.services.identity.resolution import (
    ResolutionSummary,
    resolve_all_people,
    resolve_demo_people,
    resolve_new_people,
)
from safehub.services.identity.review import (
    DECISIONS,
    AlreadyDecidedError,
    PairDecision,
    PairReview,
    ReviewRefusedError,
    WaterfallStep,
    count_other_review_pairs,
    decide_review_pair,
    list_review_pairs,
    view_review_pair,
)

__all__ = [
    "DECISIONS",
    "AlreadyDecidedError",
    "Candidate",
    "IntakeCheckRefusedError",
    "IntakeQuery",
    "IntakeResult",
    "LinkedAgencyPerson",
    "PairDecision",
    "PairReview",
    "PendingPair",
    "PersonLinks",
    "RateLimitedError",
    "ResolutionSummary",
    "ReviewRefusedError",
    "WaterfallStep",
    "check_intake",
    "check_referral_child",
    "count_other_review_pairs",
    "decide_review_pair",
    "list_review_pairs",
    "record_known_child",
    "resolve_all_people",
    "resolve_demo_people",
    "resolve_new_people",
    "split_agency_person",
    "undo_merge",
    "view_person_links",
    "view_review_pair",
]
