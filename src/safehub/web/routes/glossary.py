"""The glossary: the words, abbreviations and codes staff meet in Safehub, in plain English."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from safehub.access import Permission
from safehub.http.context import Context, require
from safehub.http.pages import renderer

router = APIRouter()

# (term, what it means), in alphabetical order. No personal data: the same for every user.
TERMS: tuple[tuple[str, str], ...] = (
    (
        "Adult of concern",
        "An adult recorded by an agency as a suspect or an associate in a record that points to exploitation.",
    ),
    (
        "Agency code",
        "A short name for an agency in the partnership, such as POL-WY for West Yorkshire Police or LA-BRADFORD for Bradford Council's children's services. Pages show the agency's name; codes appear in exports and the API.",
    ),
    (
        "Audit log",
        "The record of every look at, change to and sharing of a child's information: who, when, from where and why. The data protection officer can search it.",
    ),
    (
        "Break-glass access",
        "Opening a record your agency would not normally see, in an emergency, with a reason. It is logged and reviewed.",
    ),
    (
        "Child in need plan (CIN plan)",
        "A plan agreed with a family to support a child in need under section 17 of the Children Act 1989.",
    ),
    (
        "Child at heightened risk",
        "A child the network analysis finds linked to several adults of concern. Their case team is alerted; people decide what it means.",
    ),
    (
        "Designated safeguarding lead (DSL)",
        "The member of school or college staff who leads on safeguarding and child protection.",
    ),
    (
        "Disclosure",
        "Sharing an agency's records with another agency, for a stated purpose, under an agreement or on request. Every disclosure is logged.",
    ),
    (
        "Group",
        "A candidate group found by the network analysis: two or more adults of concern linked to children through records, shared phones, vehicles or places. It is a lead to check, not a finding.",
    ),
    (
        "Key people",
        "Adults of concern ranked by what links them to children, to each other and across agencies, each with the reasons. Children are never ranked.",
    ),
    (
        "Link chart",
        "A drawing of the people, records, places, phones and vehicles linked to someone, with the same content in tables. Children are drawn as red diamonds, adults as blue circles.",
    ),
    (
        "Match weight",
        "How much the evidence counts towards two records being the same person. Each point doubles the odds; each point below zero halves them.",
    ),
    (
        "Multi-agency safeguarding hub (MASH)",
        "The team where police, social care, health and education share information about referrals.",
    ),
    (
        "Need-to-know",
        "You see a person's records only when your work needs them: your agency holds records about them, you are on their case, or an agreement or disclosure opens them.",
    ),
    (
        "No further action (NFA)",
        "An agency has decided not to take a matter further. It is not a finding that nothing happened.",
    ),
    (
        "OFFICIAL-SENSITIVE",
        "The government security marking for information about children that could cause harm if it were lost or shared wrongly.",
    ),
    (
        "Parent or carer",
        "A person with parental responsibility for a child, or who looks after them.",
    ),
    (
        "Possible match",
        "Two records, held by different agencies, that may describe the same person. A person decides; nothing is merged until they confirm.",
    ),
    (
        "Sealed record",
        "A record held by another agency that your agency has no agreement to read. Safehub tells you who holds it, so you can ask.",
    ),
    (
        "Strategy discussion",
        "A meeting of police, social care and health, and others as needed, when a child may be suffering significant harm.",
    ),
    (
        "Victim-centred language",
        "Words that place responsibility on the adults who exploit children. A child cannot consent to their own exploitation; Safehub's checker flags words that suggest otherwise.",
    ),
)


@router.get("/glossary", response_class=HTMLResponse)
def glossary(
    request: Request, ctx: Annotated[Context, Depends(require(Permission.VIEW_HOME))]
) -> Response:
    return renderer(request).page(
        request, "glossary.html", title="Words used in Safehub", terms=TERMS
    )
