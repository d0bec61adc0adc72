"""Victim-centred practice: what professionals record about a child, and how they write it.

- ``notes``: case notes, checked for language that blames children, kept as versions;
- ``language_rules``: the rules a safeguarding lead adds, merged with the shipped ones;
- ``saved_anyway``: flagged free text (notes, referrals) is saved only with its author's reason;
- ``language_measures``: the audit of saved notes, and flags per 100 notes by team and agency;
- ``indicator_rules``: the suggested level and its reasons (pure rules, no database);
- ``indicators``: the indicator checklist kept per child, and the level's history;
- ``voice``: the child's own words and wishes, and who has already heard their account;
- ``support``: the child's support plan and referrals to support services;
- ``victim_alerts``: a child recorded as a victim and treated as an offender;
- ``demo``: practice records for the demo, written through the use cases above (imported from
  its module by the demo command only: it signs in as staff, which loads the passkey library);
- ``need_to_know``: who may read and write a case's notes and a child's records;
- ``refusals``: the error a use case raises for a typed input with problems.

Each use case that records something takes a typed input (``NoteRequest``, ``IndicatorChecklist``,
``VoiceDraft``, ``AccountHeardDraft``, ``SupportPlanDraft``, ``SupportReferralDraft``,
``SupportReferralUpdate``, ``RuleDraft``) that the page and the API both build; its
``problems()`` is the one validation, raised as ``PracticeRefusedError``.
"""

from safehub.services.practice.indicator_rules import (
    EVIDENCE,
)
from safehub.services.practice.indicators import (
    ChildIndicators,
    IndicatorChecklist,
    RecordedItem,
    child_indicators,
    record_indicators,
)
from safehub.services.practice.language_measures import (
    Rate,
    audit_notes,
    flag_rates,
    rates_chart,
)
from safehub.services.practice.language_rules import (
    SEVERITIES,
    RuleDraft,
    add_language_rule,
    list_language_rules,
    retire_language_rule,
    split_patterns,
)
from safehub.services.practice.notes import (
    MAX_NOTE,
    NoteAmendedError,
    NoteOutcome,
    NoteRequest,
    NoteVersion,
    case_notes,
    check_language,
    load_note_draft,
    note_history,
    save_note_draft,
    write_note,
)
from safehub.services.practice.refusals import (
    PracticeRefusedError,
)
from safehub.services.practice.saved_anyway import (
    MAX_REASON,
    LanguageHeldError,
    SavedAnywayRow,
    TextCheck,
    check_for_saving,
    keep_referral_check,
    reason_problems,
    texts_saved_anyway,
)
from safehub.services.practice.support import (
    OPEN_STATUSES,
    SERVICES,
    STATUSES,
    PlanView,
    ReferralView,
    SupportPlanDraft,
    SupportReferralDraft,
    SupportReferralUpdate,
    child_support,
    refer_to_support,
    update_support_referral,
    view_support_referral,
    write_support_plan,
)
from safehub.services.practice.victim_alerts import (
    raise_victim_offender_alerts,
    victim_offender_measure,
)
from safehub.services.practice.voice import (
    ACCOUNT_KINDS,
    VOICE_KINDS,
    AccountHeardDraft,
    HeardEntry,
    VoiceDraft,
    VoiceEntry,
    accounts_heard,
    child_voice,
    heard_warning,
    record_account_heard,
    record_voice,
)

__all__ = [
    "ACCOUNT_KINDS",
    "EVIDENCE",
    "MAX_NOTE",
    "MAX_REASON",
    "OPEN_STATUSES",
    "SERVICES",
    "SEVERITIES",
    "STATUSES",
    "VOICE_KINDS",
    "AccountHeardDraft",
    "ChildIndicators",
    "HeardEntry",
    "ImportedIndicator",
    "IndicatorChecklist",
    "LanguageHeldError",
    "NoteAmendedError",
    "NoteOutcome",
    "NoteRequest",
    "NoteVersion",
    "PlanView",
    "PracticeRefusedError",
    "Rate",
    "RecordedItem",
    "ReferralView",
    "RuleDraft",
    "SavedAnywayRow",
    "SupportPlanDraft",
    "SupportReferralDraft",
    "SupportReferralUpdate",
    "TextCheck",
    "VoiceDraft",
    "VoiceEntry",
    "accounts_heard",
    "add_language_rule",
    "audit_notes",
    "case_notes",
    "check_for_saving",
    "check_language",
    "child_indicators",
    "child_support",
    "child_voice",
    "flag_rates",
    "heard_warning",
    "keep_referral_check",
    "list_language_rules",
    "load_note_draft",
    "note_history",
    "raise_victim_offender_alerts",
    "rates_chart",
    "reason_problems",
    "record_account_heard",
    "record_indicators",
    "record_voice",
    "refer_to_support",
    "retire_language_rule",
    "save_note_draft",
    "split_patterns",
    "texts_saved_anyway",
    "update_support_referral",
    "victim_offender_measure",
    "view_support_referral",
    "write_note",
    "write_support_plan",
]
