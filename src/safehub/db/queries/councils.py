"""SQL for which council's children's social care decides on a referral: each query in one place.

Children's social care (``agency_type = 'social_care'``) of the partnership's councils, and the one
of the referrer's own area (a school or a council service refers to its own council; a police
force's area is the force's, which names no council).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from safehub.db.models import Agency


def social_care_agencies(session: Session) -> list[Agency]:
    """Every council's social care of the partnership, in registry order."""
    query = select(Agency).where(Agency.agency_type == "social_care").order_by(Agency.id)
    return list(session.scalars(query))


def own_council(session: Session, agency_id: int) -> int | None:
    """The social care agency of the referring agency's own area, if the partnership has one."""
    area = select(Agency.area_code).where(Agency.id == agency_id).scalar_subquery()
    query = (
        select(Agency.id)
        .where(Agency.agency_type == "social_care", Agency.area_code.is_not(None))
        .where(Agency.area_code == area)
        .order_by(Agency.id)
    )
    return session.scalars(query).first()
