"""Short free-text narratives of the kind agencies write.

A minority use language that blames the child ("she put herself at risk"), as real records did;
the language checker audits exactly these, so they must be present and realistic. The share is
higher in records about exploited children, where inquiries found such language concentrated.
"""

from __future__ import annotations

import random

_ORDINARY: dict[str, tuple[str, ...]] = {
    "health_attendance": (
        "Attended ED with an injury to the {limb} after a fall at home.",
        "Seen in the children's assessment unit with a high temperature; discharged.",
        "Attended with {carer} following an asthma attack; inhaler technique reviewed.",
        "Brought in with a cut to the hand; wound glued. No concerns raised.",
        "Minor head injury playing football; observations normal.",
        "Attended with abdominal pain; advised to see GP.",
    ),
    "school_concern": (
        "Attendance has dropped to {pct}% this term; family contacted.",
        "Arrived at school hungry and in the same clothes on several days.",
        "Disclosed arguments at home that are upsetting {them}.",
        "Bruise noticed on the {limb}; {child} said it happened at football.",
        "Appears withdrawn and tired in lessons; pastoral support offered.",
        "Parent did not collect {child} at the end of the day; collected by grandparent at 17:30.",
    ),
    "referral": (
        "Referral from {source}: concerns about neglect and home conditions.",
        "Referral from {source}: domestic abuse incident at the family home, children present.",
        "Referral from {source}: parent struggling with mental health; support requested.",
        "Referral from {source}: concerns about school attendance and supervision.",
        "Referral from {source}: housing problems and overcrowding affecting the children.",
    ),
    "assessment": (
        "Child and family assessment completed; family engaged well.",
        "Assessment completed. Parents accepted early help support.",
        "Assessment found unmet needs; plan agreed with the family.",
        "Home visit completed, children seen alone; no further concerns identified.",
    ),
    "missing_episode": (
        "Reported missing by {carer} after not returning home; found at {place} the next morning.",
        "Missing overnight; returned home by {them}self, would not say where {they} had been.",
        "Missing after an argument at home; located at a friend's address.",
        "Did not return from school; found at {place} by officers at 22:10.",
    ),
    "crime_report": (
        "Report of assault at {place}; victim sustained minor injuries.",
        "Theft of a mobile phone from the victim at {place}.",
        "Harassment by messages over several weeks; suspect identified.",
        "Domestic incident at the home address; children present in the house.",
        "Shoplifting at {place}; items recovered.",
        "Criminal damage to a car outside the home address.",
    ),
    "intelligence": (
        "Information received that the subject is supplying cannabis near {place}.",
        "Subject seen regularly at {place} late at night with a group of adults.",
        "Vehicle seen parked for long periods outside {place}.",
        "Subject believed to be involved in stolen goods.",
    ),
    "community_report": (
        "Member of the public concerned about noise and people coming and going at {place}.",
        "Concern about young people gathering at {place} late at night.",
        "Report of a car driving dangerously near {place}.",
    ),
    "licence": (
        "Driver licence granted after DBS and medical checks.",
        "Licence renewed; no matters of concern declared.",
        "Change of vehicle notified.",
    ),
}

_EXPLOITATION: dict[str, tuple[str, ...]] = {
    "missing_episode": (
        "Missing overnight; found at {place} with older males. Said they were friends.",
        "Missing for two days; seen getting into a car {vehicle}. Returned with a new phone.",
        "Reported missing from care; located at {place} by officers, smelling of alcohol.",
        "Missing again; believed to have been collected from near the home by a taxi.",
    ),
    "crime_report": (
        "Allegation that adult males gave {child} alcohol and sexually assaulted {them} at "
        "{place}.",
        "Report of sexual exploitation: {child} taken to {place} by adult males on several "
        "occasions.",
        "{child} disclosed being given lifts and gifts by an older male who then abused {them}.",
        "Child found in a vehicle with two adult males at 02:00; concerns of exploitation.",
    ),
    "intelligence": (
        "Intelligence that adult males are taking young girls to {place} and giving them alcohol.",
        "Phone {phone} believed used to contact several children and arrange lifts.",
        "Vehicle {vehicle} seen collecting children from outside schools and care homes.",
        "Subject known as an older 'boyfriend' to a 14-year-old; meets children at {place}.",
    ),
    "referral": (
        "Referral from {source}: concerns of child sexual exploitation; older males, gifts and "
        "lifts.",
        "Referral from {source}: repeated missing episodes and a new phone.",
        "Referral from {source}: seen getting into cars driven by adult men after school.",
    ),
    "assessment": (
        "CSE risk assessment completed; child at significant risk from adults exploiting {them}.",
        "Assessment: child is being groomed by older males; strategy discussion requested.",
    ),
    "health_attendance": (
        "Attended sexual health clinic; STI diagnosed. Concerns raised about older partner.",
        "Attended ED intoxicated at 03:00, brought in by taxi. Safeguarding referral made.",
        "Attended after self-harm; disclosed pressure from older males.",
    ),
    "school_concern": (
        "Seen being collected from the school gates by an adult male in a car.",
        "Has new expensive clothes and a phone; attendance falling.",
        "Told a friend about an older boyfriend who gives {them} vodka.",
    ),
}

# Wording that blames the child: kept to a minority (see module docstring).
_BLAMING = (
    " {They_cap} is putting {them}self at risk.",
    " {They_cap} is making lifestyle choices.",
    " Appears to be in a relationship with an older male.",
    " {They_cap} is streetwise and mature for {their} age.",
    " Has been associating with older males.",
    " {They_cap} put {them}self at risk by staying out late.",
    " Said to be sexually active and promiscuous.",
)

_PLACES = ("the park", "a friend's house", "the bus station", "a takeaway", "the town centre")
_SOURCES = ("school", "police", "health visitor", "GP", "neighbour", "anonymous caller")


def narrative(
    rng: random.Random,
    record_type: str,
    *,
    exploitation: bool,
    sex: str,
    blame_rate: float,
    **fill: str,
) -> str:
    """A narrative for a record; ``fill`` supplies names, places, phones and vehicles.

    >>> text = narrative(random.Random(1), "licence", exploitation=False, sex="M",
    ...                  blame_rate=0.0)
    >>> text.startswith(("Driver", "Licence", "Change"))
    True
    """
    table = _EXPLOITATION if exploitation and record_type in _EXPLOITATION else _ORDINARY
    template = rng.choice(table[record_type])
    if rng.random() < blame_rate and record_type != "licence":
        template += rng.choice(_BLAMING)
    words = _pronouns(sex) | {
        "place": fill.get("place") or rng.choice(_PLACES),
        "source": fill.get("source") or rng.choice(_SOURCES),
        "child": fill.get("child") or "the child",
        "carer": fill.get("carer") or "mother",
        "vehicle": fill.get("vehicle") or "(registration not obtained)",
        "phone": fill.get("phone") or "(number not known)",
        "limb": rng.choice(("wrist", "arm", "leg", "ankle", "face")),
        "pct": str(rng.randrange(55, 88)),
    }
    return template.format(**words)


def _pronouns(sex: str) -> dict[str, str]:
    if sex == "F":
        return {"they": "she", "them": "her", "their": "her", "They_cap": "She"}
    if sex == "M":
        return {"they": "he", "them": "him", "their": "his", "They_cap": "He"}
    return {"they": "they", "them": "them", "their": "their", "They_cap": "They"}
