"""The measures of the national strategy, as data, in one place.

Each ``Measure`` is one row of ``oversight_measure``: ``rebuild_facts`` upserts every row of
``CATALOGUE`` (and removes rows no longer in it), so the table always says what this file says.
The SQL that counts each measure lives in ``db/queries/oversight_facts.py``, under the same code.

Targets and where they come from:
- ``referral_decided_1wd`` and ``assessment_45wd``: 100%, because Working Together to Safeguard
  Children 2023 (ch. 3) sets the timescale for every referral (a decision within one working
  day) and every assessment (no longer than 45 working days from the referral). The same
  timescales start Safehub's clocks (``timescales/data/rules.toml``).
- Every other target is a placeholder of the strategy, stated here so that a partnership can edit
  it (one line, then ``safehub oversight rebuild``): no national figure has been set for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Direction = Literal["higher", "lower"]
MeasureUnit = Literal["percent", "days", "count"]
By = Literal["area", "agency"]

WORKING_TOGETHER = "Working Together to Safeguard Children 2023, ch. 3"
PLACEHOLDER = "strategy placeholder: a partnership edits it in services/oversight/catalogue.py"


@dataclass(frozen=True, slots=True)
class Measure:
    """One measure: what it counts, in words, which way is better, its target and who answers."""

    code: str
    name: str
    definition: str
    numerator: str
    denominator: str | None  # None for a count
    counts: str
    direction: Direction
    unit: MeasureUnit
    target: float | None
    target_source: str
    near_margin: float
    owner: str
    by: By = "area"

    def row(self, sort_order: int) -> dict[str, object]:
        """The ``oversight_measure`` row (the target's source is said in the definition)."""
        return {
            "code": self.code,
            "name": self.name,
            "definition": f"{self.definition} Target: {self.target_source}.",
            "numerator": self.numerator,
            "denominator": self.denominator,
            "counts": self.counts,
            "direction": self.direction,
            "unit": self.unit,
            "target": self.target,
            "near_margin": self.near_margin,
            "owner": self.owner,
            "by": self.by,
            "sort_order": sort_order,
        }


_SOCIAL_CARE = "Director of children's services (local authority children's social care)"
_POLICE = "Chief constable (police force)"
_PARTNERS = "Safeguarding partners (local authority, police, integrated care board)"
_EACH_AGENCY = "Each agency's head of service"

CATALOGUE: tuple[Measure, ...] = (
    Measure(
        code="referral_decided_1wd",
        name="Referrals decided within one working day",
        definition=(
            "Of the referrals whose decision clock fell due or stopped, the share decided by the "
            "end of the first working day after the referral was received."
        ),
        numerator="Referral decision clocks stopped on or before their due day",
        denominator="Referral decision clocks started in the month that stopped or fell due",
        counts="Safehub referrals (the referral_decision clock); area of the deciding council",
        direction="higher",
        unit="percent",
        target=100.0,
        target_source=f"{WORKING_TOGETHER} (decision within one working day of a referral)",
        near_margin=5.0,
        owner=_SOCIAL_CARE,
    ),
    Measure(
        code="assessment_45wd",
        name="Assessments completed within 45 working days",
        definition=(
            "Of the assessments whose clock fell due or stopped, the share completed within 45 "
            "working days of the referral."
        ),
        numerator="Assessment clocks stopped on or before their due day",
        denominator="Assessment clocks started in the month that stopped or fell due",
        counts="Safehub referrals (the assessment clock); area of the owning agency",
        direction="higher",
        unit="percent",
        target=100.0,
        target_source=f"{WORKING_TOGETHER} (no longer than 45 working days from the referral)",
        near_margin=5.0,
        owner=_SOCIAL_CARE,
    ),
    Measure(
        code="strategy_discussion_held",
        name="Strategy discussions held when needed",
        definition=(
            "Of the strategy discussions decided on (planned) for a day now past, the share held."
        ),
        numerator="Strategy discussions held",
        denominator="Strategy discussions planned for a day in the month, up to today",
        counts="Safehub meetings of kind strategy_discussion; area of the organising agency",
        direction="higher",
        unit="percent",
        target=95.0,
        target_source=PLACEHOLDER,
        near_margin=5.0,
        owner=_PARTNERS,
    ),
    Measure(
        code="days_report_to_charge",
        name="Days from first report to charge",
        definition=(
            "The median number of calendar days from a crime report of a child sexual "
            "exploitation offence to the day Safehub first held it as charged, for the reports "
            "of the month that were charged. Extracts carry no charge date, so the day is the "
            "day the extract recording the charge arrived."
        ),
        numerator="Median days from report to charge",
        denominator="Charged crime reports the median is over",
        counts="Agency extracts: crime_report records with an exploitation offence_code",
        direction="lower",
        unit="days",
        target=180.0,
        target_source=PLACEHOLDER,
        near_margin=30.0,
        owner=_POLICE,
    ),
    Measure(
        code="charge_rate_cse",
        name="Charge rate, child sexual exploitation offences",
        definition=(
            "Of the crime reports of a child sexual exploitation offence recorded in the month, "
            "the share charged or summonsed (including those since convicted or acquitted)."
        ),
        numerator="Crime reports with outcome charged, summonsed, convicted or acquitted",
        denominator="Crime reports of an exploitation offence",
        counts="Agency extracts: crime_report records with an exploitation offence_code",
        direction="higher",
        unit="percent",
        target=20.0,
        target_source=PLACEHOLDER,
        near_margin=5.0,
        owner=_POLICE,
    ),
    Measure(
        code="nfa_rate_cse",
        name="No further action rate, child sexual exploitation offences",
        definition=(
            "Of the crime reports of a child sexual exploitation offence recorded in the month "
            "that have a final outcome, the share closed with no further action."
        ),
        numerator="Crime reports with outcome nfa",
        denominator="Crime reports of an exploitation offence with a final outcome",
        counts="Agency extracts: crime_report records with an exploitation offence_code",
        direction="lower",
        unit="percent",
        target=40.0,
        target_source=PLACEHOLDER,
        near_margin=5.0,
        owner=_POLICE,
    ),
    Measure(
        code="repeat_victimisation",
        name="Repeat victimisation",
        definition=(
            "Of the children recorded as the victim of a child sexual exploitation offence in "
            "the month, the share who were recorded as such a victim in the 365 days before."
        ),
        numerator="Children victimised again within 365 days",
        denominator="Children recorded as the victim of an exploitation offence in the month",
        counts="Agency extracts: victims of crime_report records with an exploitation offence, "
        "as resolved people",
        direction="lower",
        unit="percent",
        target=10.0,
        target_source=PLACEHOLDER,
        near_margin=5.0,
        owner=_PARTNERS,
    ),
    Measure(
        code="missing_again",
        name="Children going missing again",
        definition=(
            "Of the children with a missing episode in the month, the share who had another "
            "missing episode in the 90 days before."
        ),
        numerator="Children missing again within 90 days",
        denominator="Children with a missing episode in the month",
        counts="Agency extracts: missing_episode records (their victim or subject), as resolved "
        "people",
        direction="lower",
        unit="percent",
        target=25.0,
        target_source=PLACEHOLDER,
        near_margin=5.0,
        owner=_PARTNERS,
    ),
    Measure(
        code="victim_treated_as_offender",
        name="Victims treated as offenders",
        definition=(
            "Children recorded as a victim of exploitation and as a suspect, arrested, charged, "
            "cautioned, summonsed, fined or convicted: one per offender record and child, by the "
            "month of the offender record (the victim-as-offender alerts)."
        ),
        numerator="Offender records of a child victim",
        denominator=None,
        counts="Safehub alerts of kind victim_treated_as_offender; area of the offender record",
        direction="lower",
        unit="count",
        target=0.0,
        target_source=PLACEHOLDER,
        near_margin=2.0,
        owner=_POLICE,
    ),
    Measure(
        code="language_flag_rate",
        name="Victim-blaming language",
        definition=(
            "Of the case notes and referrals written in the month, the share in which the "
            "language checker found victim-blaming language when they were saved."
        ),
        numerator="Notes and referrals with at least one language flag",
        denominator="Notes and referrals checked",
        counts="Safehub note_language_check and referral_language_check; area of the author's "
        "agency",
        direction="lower",
        unit="percent",
        target=5.0,
        target_source=PLACEHOLDER,
        near_margin=2.0,
        owner=_EACH_AGENCY,
    ),
    Measure(
        code="suspect_ethnicity_recorded",
        name="Suspect ethnicity recorded",
        definition=(
            "Of the suspects in an agency's records of the month, the share whose self-defined "
            "ethnicity is recorded (an 18+1 code other than NS, not stated)."
        ),
        numerator="Suspects with a self-defined ethnicity",
        denominator="Suspects in the agency's records",
        counts="Agency extracts: current person rows with person_role suspect",
        direction="higher",
        unit="percent",
        target=90.0,
        target_source=PLACEHOLDER,
        near_margin=10.0,
        owner=_EACH_AGENCY,
        by="agency",
    ),
    Measure(
        code="victim_ethnicity_recorded",
        name="Victim ethnicity recorded",
        definition=(
            "Of the victims in an agency's records of the month, the share whose self-defined "
            "ethnicity is recorded (an 18+1 code other than NS, not stated)."
        ),
        numerator="Victims with a self-defined ethnicity",
        denominator="Victims in the agency's records",
        counts="Agency extracts: current person rows with person_role victim",
        direction="higher",
        unit="percent",
        target=90.0,
        target_source=PLACEHOLDER,
        near_margin=10.0,
        owner=_EACH_AGENCY,
        by="agency",
    ),
    Measure(
        code="suspect_nationality_recorded",
        name="Suspect nationality recorded",
        definition="Of the suspects in an agency's records of the month, the share with a "
        "nationality recorded.",
        numerator="Suspects with a nationality",
        denominator="Suspects in the agency's records",
        counts="Agency extracts: current person rows with person_role suspect",
        direction="higher",
        unit="percent",
        target=90.0,
        target_source=PLACEHOLDER,
        near_margin=10.0,
        owner=_EACH_AGENCY,
        by="agency",
    ),
    Measure(
        code="victim_nationality_recorded",
        name="Victim nationality recorded",
        definition="Of the victims in an agency's records of the month, the share with a "
        "nationality recorded.",
        numerator="Victims with a nationality",
        denominator="Victims in the agency's records",
        counts="Agency extracts: current person rows with person_role victim",
        direction="higher",
        unit="percent",
        target=90.0,
        target_source=PLACEHOLDER,
        near_margin=10.0,
        owner=_EACH_AGENCY,
        by="agency",
    ),
    Measure(
        code="group_based_cases",
        name="Group-based cases identified",
        definition=(
            "Crime reports of the month that an agency flagged as group-based or that bind a "
            "candidate group of the latest network analysis, each counted once."
        ),
        numerator="Group-based crime reports",
        denominator=None,
        counts="Agency extracts (group_based) and Safehub network groups (their records)",
        direction="higher",
        unit="count",
        target=None,
        target_source="none: a count to watch, not to aim at (more found may mean more looked for)",
        near_margin=0.0,
        owner=_POLICE,
    ),
    Measure(
        code="training_complete",
        name="Staff trained in child exploitation",
        definition=(
            "Of an agency's active staff at the end of the month, the share whose child "
            "exploitation awareness training was complete and not expired."
        ),
        numerator="Staff with current exploitation_awareness training",
        denominator="Active staff of the agency",
        counts="Safehub training_record and staff accounts",
        direction="higher",
        unit="percent",
        target=90.0,
        target_source=PLACEHOLDER,
        near_margin=10.0,
        owner=_EACH_AGENCY,
        by="agency",
    ),
    Measure(
        code="caseload_per_worker",
        name="Open cases per worker",
        definition=(
            "Open cases per member of an agency's staff holding at least one, on the day of the "
            "rebuild (a snapshot: only the current month has a value)."
        ),
        numerator="Case team places on open cases held by the agency's active staff",
        denominator="Active staff on at least one open case",
        counts="Safehub case_member and safeguarding_case",
        direction="lower",
        unit="count",
        target=18.0,
        target_source=PLACEHOLDER,
        near_margin=2.0,
        owner=_EACH_AGENCY,
        by="agency",
    ),
)

MEASURES: dict[str, Measure] = {m.code: m for m in CATALOGUE}
