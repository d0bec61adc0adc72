"""Scoring the live chain: ``safehub import FILES`` then ``safehub jobs run-once``.

Reads the database the CLI uses (``DATABASE_URL``, else the embedded server of
``SAFEHUB_DATA_DIR``) as its owner login, which must see past row-level security (the embedded
server's login is a superuser; on another server use a login with BYPASSRLS).

- Group precision and recall: as ``netscore.py``, over the groups of the latest network run that
  succeeded (``network_group``, ``network_group_member``).
- **Alerted people outside planted groups**: of the distinct people named by a network alert
  (``alert.rule`` starting ``network.``; every person in its ``evidence.people``, else the
  person it is filed under), the share that stand for no planted adult or victim.
- **Possible links**: the "possibly the same person" pairs the run counted, and how many join
  two agency people who are one true person.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from sqlalchemy import Connection, create_engine, text

from bench.hardgen.netscore import group_scores, stands_for
from bench.hardgen.truthfiles import TruthSet

_PEOPLE = (
    "SELECT a.code, ap.person_ref, ap.person_id FROM agency_person ap "
    "JOIN agency a ON a.id = ap.agency_id"
)
_RUN = "SELECT max(id) FROM network_run WHERE status = 'succeeded'"
_GROUPS = (
    "SELECT g.code, m.person_id, m.role_in_group FROM network_group g "
    "JOIN network_group_member m ON m.group_id = g.id WHERE g.run_id = :run"
)
# Every person an alert names (``evidence.people``), not only the one it is filed under: an alert
# about a record touching a group names several people and is filed under none.
_ALERTS = (
    "SELECT rule, p.value::text FROM alert, "
    "jsonb_array_elements(coalesce(evidence->'people', jsonb_build_array(person_id))) p "
    "WHERE rule LIKE 'network.%' AND p.value <> 'null'::jsonb"
)
_ALERT_COUNT = "SELECT count(*) FROM alert WHERE rule LIKE 'network.%'"
# The "possibly the same person" pairs the run counted (``network_possible_link``).
_POSSIBLE = "SELECT person_id, other_person_id FROM network_possible_link WHERE run_id = :run"
_SEES_ALL = "SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user"


def score_live(truth: TruthSet, url: str | None = None) -> dict[str, object]:
    """Group precision and alerted people outside the planted groups, from the database."""
    engine = create_engine(url or _owner_url())
    try:
        with engine.connect() as conn:
            return _score(truth, conn)
    finally:
        engine.dispose()


def _owner_url() -> str:
    from safehub.config import load_settings
    from safehub.db.database import database_url

    return database_url(load_settings())


def _score(truth: TruthSet, conn: Connection) -> dict[str, object]:
    if not conn.execute(text(_SEES_ALL)).scalar():
        raise SystemExit("the login cannot see past row-level security (superuser or BYPASSRLS)")
    people = {(code, ref): str(pid) for code, ref, pid in conn.execute(text(_PEOPLE))}
    true_of = stands_for(truth, people)
    run = conn.execute(text(_RUN)).scalar()
    found: dict[str, dict[str, str]] = defaultdict(dict)
    if run is not None:
        for code, pid, role in conn.execute(text(_GROUPS), {"run": run}):
            found[code][str(pid)] = role
    named = list(conn.execute(text(_ALERTS)))
    possible = list(conn.execute(text(_POSSIBLE), {"run": run})) if run is not None else []
    return {
        "network_run": run,
        **group_scores(truth, found, true_of),
        **alert_scores(truth, named, true_of),
        "alerts": conn.execute(text(_ALERT_COUNT)).scalar(),
        "possible_links": possible_scores(possible, true_of),
    }


def possible_scores(pairs: list[Any], true_of: dict[str, str]) -> dict[str, int]:
    """Of the "possibly the same person" pairs counted, how many join one true person."""
    same = sum(1 for a, b in pairs if true_of.get(str(a), "?a") == true_of.get(str(b), "?b"))
    return {"counted": len(pairs), "one_person": same, "two_people": len(pairs) - same}


def alert_scores(truth: TruthSet, named: list[Any], true_of: dict[str, str]) -> dict[str, object]:
    """``named``: (rule, person id) once for each person each alert names."""
    planted = truth.planted("organiser", "suspect", "associate", "victim")
    people = {str(pid) for _rule, pid in named}
    outside = {p for p in people if true_of.get(p) not in planted}
    return {
        "people_named_by_rule": dict(sorted(Counter(rule for rule, _ in named).items())),
        "alerted_people": len(people),
        "alerted_people_outside_planted": len(outside),
        "alerted_outside_share": round(len(outside) / len(people), 4) if people else 0.0,
    }
