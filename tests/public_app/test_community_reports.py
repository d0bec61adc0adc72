"""Community reports in the database: what the public app's role may do (create a report, read
its status with the reference and phrase) and may not (read any case data, or another report),
and the staff triage that only safeguarding leads reach, blurred unless the reporter agreed."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.exc import ProgrammingError

from safehub.access import Actor
from safehub.db.database import Database
from safehub.db.uow import unit_of_work
from safehub.http.context import REPORTER
from safehub.services.community import (
    ReportDraft,
    SlowDownError,
    add_to_own_report,
    ask_reporter,
    list_community_reports,
    send_report,
    unlock_report,
    view_community_report,
    view_own_report,
)
from safehub.services.community.reports import read_draft, save_draft
from safehub.services.errors import ForbiddenError, RefusedError

PUBLIC = REPORTER  # the one actor the public role may log as
LEAD = Actor("user:9:lead", user_id=None, agency_id=None, role="mash_triage")
DRAFT = ReportDraft(
    about="vehicle",
    what_seen="The same taxi picks up two girls from school most days",
    signs=("regular",),
    seen_day="2",
    seen_month="3",
    seen_year="2026",
    seen_time="evening",
    place_postcode="ls1 4ab",
    vehicle_registration="ab12 cde",
    answered=("about", "what", "signs", "when", "where", "identifiers", "you"),
)


def _send(db: Database, draft: ReportDraft = DRAFT) -> tuple[str, str]:
    with unit_of_work(db.as_public(), actor=PUBLIC) as uow:
        receipt = send_report(uow, token="t", draft=draft)
        uow.commit()
    return receipt.reference, receipt.phrase


@pytest.mark.parametrize("table", ["referral", "person", "agency_record", "app_user", "alert"])
def test_the_public_role_cannot_read_case_data(db: Database, table: str) -> None:
    with (
        unit_of_work(db.as_public(), actor=PUBLIC) as uow,
        pytest.raises(ProgrammingError, match="permission denied"),
    ):
        uow.session.execute(text(f"SELECT * FROM {table} LIMIT 1"))


def test_the_public_role_cannot_read_reports_or_drafts_directly(db: Database) -> None:
    _send(db)
    for table in ("community_report", "community_report_message", "community_report_draft"):
        with (
            unit_of_work(db.as_public(), actor=PUBLIC) as uow,
            pytest.raises(ProgrammingError, match="permission denied"),
        ):
            uow.session.execute(text(f"SELECT * FROM {table}"))


def test_the_public_role_may_call_no_function_but_its_own(db: Database) -> None:
    with db.owner_engine.connect() as conn:
        callable_ = conn.execute(
            text(
                "SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                "WHERE n.nspname = 'public' AND p.prosecdef "
                "AND has_function_privilege('safehub_public', p.oid, 'EXECUTE')"
            )
        ).scalars()
        assert sorted(callable_) == sorted(
            [
                "safehub_public_add_message",
                "safehub_public_discard_draft",
                "safehub_public_note_attempt",
                "safehub_public_read_draft",
                "safehub_public_report_messages",
                "safehub_public_report_status",
                "safehub_public_save_draft",
            ]
        )


def test_a_report_is_sent_anonymously_and_read_back_with_its_reference_and_phrase(
    db: Database,
) -> None:
    reference, phrase = _send(db)
    assert reference.startswith("CR-") and len(phrase.split()) == 4
    with unit_of_work(db.as_public(), actor=PUBLIC) as uow:
        key = unlock_report(uow, reference=reference.lower(), phrase=phrase.upper())
        view = view_own_report(uow, key=key)
        uow.commit()
    assert (view.reference, view.status, view.messages) == (reference, "received", [])
    with db.owner_engine.connect() as conn:
        stored = conn.execute(text("SELECT phrase_key, reporter_name FROM community_report")).one()
        source = conn.execute(
            text("SELECT source FROM audit_event WHERE object_type = 'community_report'")
        ).scalars()
        assert phrase.encode() not in stored[0] and stored[1] is None
        assert set(source) == {None}  # no address is kept, not even in the audit log


def test_a_wrong_phrase_opens_nothing(db: Database) -> None:
    reference, _ = _send(db)
    with unit_of_work(db.as_public(), actor=PUBLIC) as uow, pytest.raises(RefusedError) as refused:
        unlock_report(uow, reference=reference, phrase="apple river kettle moon")
    assert "do not match" in refused.value.errors["reference"]


def test_a_draft_keeps_the_answers_so_far_for_its_token_only(db: Database) -> None:
    with unit_of_work(db.as_public(), actor=PUBLIC) as uow:
        save_draft(uow, token="mine", draft=ReportDraft(about="child"))
        uow.commit()
    with unit_of_work(db.as_public(), actor=PUBLIC) as uow:
        assert read_draft(uow, token="mine").about == "child"
        assert read_draft(uow, token="someone else's").about == ""


def test_a_report_too_long_or_empty_names_the_field(db: Database) -> None:
    with unit_of_work(db.as_public(), actor=PUBLIC) as uow, pytest.raises(RefusedError) as refused:
        send_report(uow, token="t", draft=ReportDraft(what_seen="x" * 3001, about="child"))
    assert refused.value.errors["what_seen"] == (
        "What you saw or heard must be 3,000 characters or fewer"
    )
    assert ReportDraft().problems("what") == {"what_seen": "Enter what you saw or heard"}


def test_staff_see_the_district_and_week_unless_the_reporter_agreed(db: Database) -> None:
    _send(db)
    _send(db, DRAFT.with_step("you", {"tell_who": "no", "share_exact": "yes"}))
    with unit_of_work(db, actor=LEAD) as uow:
        blurred, exact = sorted(
            (
                view_community_report(uow, report_id=r.report_id)
                for r in list_community_reports(uow)
            ),
            key=lambda v: v.exact,
        )
        uow.commit()
    assert (blurred.summary.area, blurred.seen) == ("LS1", "the week of 2 March 2026")
    assert (exact.summary.area, exact.seen) == ("LS1 4AB", "2 March 2026, evening")
    assert blurred.reporter == "Anonymous"


def test_a_question_from_the_hub_reaches_the_reporter_who_answers_it(db: Database) -> None:
    reference, phrase = _send(db)
    with unit_of_work(db, actor=LEAD) as uow:
        (report,) = list_community_reports(uow)
        ask_reporter(uow, report_id=report.report_id, question="Which school was it?")
        uow.commit()
    with unit_of_work(db.as_public(), actor=PUBLIC) as uow:
        key = unlock_report(uow, reference=reference, phrase=phrase)
        assert view_own_report(uow, key=key).waiting_question
        add_to_own_report(uow, key=key, message="Westfield Academy")
        uow.commit()
    with unit_of_work(db, actor=LEAD) as uow:
        seen = view_community_report(uow, report_id=report.report_id)
        uow.commit()
    assert [(m.sender, m.body) for m in seen.messages] == [
        ("hub", "Which school was it?"),
        ("reporter", "Westfield Academy"),
    ]
    assert seen.summary.status == "in_review"


def test_only_safeguarding_leads_see_reports(db: Database) -> None:
    _send(db)
    worker = Actor("user:8:sw", user_id=8, agency_id=1, role="social_worker")
    with unit_of_work(db, actor=worker) as uow:
        with pytest.raises(ForbiddenError):
            list_community_reports(uow)
        # Row-level security says the same, behind the application's check.
        assert uow.session.execute(text("SELECT count(*) FROM community_report")).scalar() == 0


def test_the_date_seen_may_not_be_in_the_future() -> None:
    draft = ReportDraft(seen_day="1", seen_month="1", seen_year=str(date.today().year + 1))
    assert draft.problems("when") == {"seen_day": "The date must be today or in the past"}


def test_a_flood_from_one_address_is_slowed_and_others_are_not(db: Database) -> None:
    with unit_of_work(db.as_public(), actor=PUBLIC) as uow:
        for _ in range(3):
            send_report(uow, token="t", draft=DRAFT, address="203.0.113.9")
        uow.commit()
    with unit_of_work(db.as_public(), actor=PUBLIC) as uow, pytest.raises(SlowDownError):
        send_report(uow, token="t", draft=DRAFT, address="203.0.113.9")
    with unit_of_work(db.as_public(), actor=PUBLIC) as uow:
        send_report(uow, token="t", draft=DRAFT, address="198.51.100.7")  # someone else
        uow.commit()
    with db.owner_engine.connect() as conn:
        reports = conn.execute(text("SELECT count(*) FROM community_report")).scalar()
        counted = conn.execute(
            text("SELECT attempts FROM community_rate_count ORDER BY attempts")
        ).scalars()
        assert (reports, list(counted)) == (4, [1, 4])  # the refused attempt counts too


def test_the_address_is_kept_only_as_a_salted_hash(db: Database) -> None:
    address = "203.0.113.9"
    with unit_of_work(db.as_public(), actor=PUBLIC) as uow:
        send_report(uow, token="t", draft=DRAFT, address=address)
        uow.commit()
    with db.owner_engine.connect() as conn:
        (stored,) = conn.execute(text("SELECT bucket_hash FROM community_rate_count")).scalars()
        dump = conn.execute(
            text(
                "SELECT string_agg(t::text, ' ') FROM (SELECT * FROM community_report) t "
                "UNION ALL SELECT string_agg(a::text, ' ') FROM audit_event a"
            )
        ).scalars()
    assert stored != hashlib.sha256(address.encode()).digest()  # salted: not a bare hash
    assert not any(address in (text_ or "") for text_ in dump)


def test_guessing_phrases_is_slowed(db: Database) -> None:
    reference, _ = _send(db)
    answers = []
    for _ in range(11):
        with unit_of_work(db.as_public(), actor=PUBLIC) as uow:
            try:
                unlock_report(uow, reference=reference, phrase="a b c d", address="192.0.2.1")
            except (RefusedError, SlowDownError) as refused:
                answers.append(type(refused).__name__)
    assert answers == ["RefusedError"] * 10 + ["SlowDownError"]


def test_the_public_role_may_log_only_its_own_entries(db: Database) -> None:
    staff = Actor("user:1:someone", user_id=1, role="social_worker")
    with unit_of_work(db.as_public(), actor=staff) as uow:
        uow.audit("consultation", "person", [1], purpose="pretending")
        with pytest.raises(ProgrammingError, match="only its own community report entries"):
            uow.commit()


def test_staff_may_change_a_reports_status_but_never_what_the_reporter_said(db: Database) -> None:
    _send(db)
    with unit_of_work(db, actor=LEAD) as uow:
        uow.session.execute(text("UPDATE community_report SET status = 'closed'"))
        with pytest.raises(ProgrammingError, match="permission denied"):
            uow.session.execute(text("UPDATE community_report SET what_seen = 'changed'"))
