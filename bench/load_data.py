"""A demo-like area of 1,000,000 person mentions for the load benchmark (`bench/load_bench.py`).

    .venv/bin/python bench/load_data.py [--folder /tmp/safehub-load] [--mentions 1000000]

First `safehub demo --no-serve` builds the ordinary demo area through the real import, identity
resolution, cases, networks and oversight figures (1,500 children, about 8,000 mentions). Then the
area is grown to ``--mentions`` person mentions with COPY, as `bench/identity_bench.py` fills its
million held people (the real import of a million rows would take over an hour on two cores):
background agency records over five years in every agency (record types of that agency), each
naming one to four people with Zipf-like names from the generator's pools, so that a search for a
common name finds thousands; and every case child gets 40 more records over the years (with a
parent and associates), so that case pages carry a long chronology. Last, the accounts the locust
users sign in as: social workers (Bradford), police investigators (West Yorkshire) and police
analysts (Greater Manchester), with the demo password and second factor; social workers and
investigators and analysts join every case team.

The database lives under ``--folder`` (not the repository), with the secret key the app must be
served with (``secret-key``); a second run finds it built and does nothing.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import secrets
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import Connection, create_engine, text

from safehub.synthetic.namedata import POOLS

ROOT = Path(__file__).resolve().parent.parent
SAFEHUB = ROOT / ".venv" / "bin" / "safehub"
MENTIONS = 1_000_000
CASE_CHILD_RECORDS = 40
# (role, agency, how many): the locust users' accounts.
ACCOUNTS = (("social_worker", "LA-BRADFORD", 45), ("police_investigator", "POL-WY", 35),
            ("police_analyst", "POL-GM", 20))  # fmt: skip
CASE_TEAM = ("social_worker", "police_investigator", "police_analyst")
RECORD_TYPES = {
    "police": ("crime_report", "intelligence", "missing_episode"),
    "social_care": ("referral", "assessment"),
    "health": ("health_attendance",),
    "education": ("school_concern",),
    "licensing": ("licence",),
}
OTHER_ROLES = ("parent_carer", "associate", "witness", "suspect", "reporter")
STREETS = ("Cross Street", "Manor Row", "Oak Lane", "Leeds Road", "Church Street", "Mill Lane")
SOURCE = "bench/load_data.py"


def account_name(role: str, agency: str, n: int) -> str:
    return f"load-{role.replace('_', '-')}-{n:03d}@{agency.lower()}"


def accounts() -> list[tuple[str, str, str]]:
    """(username, role, agency) of every locust account, in the order users take them: the roles
    in turn, so that the first 60 users are 20 of each."""
    made = []
    for n in range(1, max(count for _, _, count in ACCOUNTS) + 1):
        made += [(account_name(r, a, n), r, a) for r, a, count in ACCOUNTS if n <= count]
    return made


def environment(folder: Path) -> dict[str, str]:
    """What every process of the run needs: the data folder and the secret it was built with."""
    key_file = folder / "secret-key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(32))
    return {
        **os.environ,
        "SAFEHUB_ENV": "demo",
        "SAFEHUB_DATA_DIR": str(folder / "app"),
        "SAFEHUB_SECRET_KEY": key_file.read_text().strip(),
    }


@dataclass
class Person:
    given: str
    family: str
    born: date
    sex: str
    address: str


def _person(rng: random.Random, *, child: bool) -> Person:
    female, male, family = POOLS[rng.choice(list(POOLS))]
    sex = rng.choice("FM")
    pool = female if sex == "F" else male
    # Zipf-like: common names collide as in real records.
    given = pool[min(int(rng.paretovariate(1.2)) - 1, len(pool) - 1)]
    surname = family[min(int(rng.paretovariate(1.2)) - 1, len(family) - 1)]
    born = date(rng.randint(2008, 2016) if child else rng.randint(1960, 2004), 1, 1) + timedelta(
        days=rng.randint(0, 364)
    )
    address = f"{rng.randint(1, 250)} {rng.choice(STREETS)}, Bradford"
    return Person(given, surname, born, sex, address)


def _copy(conn: Connection, table: str, columns: str, rows: object) -> int:
    raw = conn.connection.driver_connection
    n = 0
    with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:  # type: ignore[union-attr]
        for row in rows:  # type: ignore[attr-defined]
            copy.write_row(row)
            n += 1
    return n


class Grower:
    """Rows for the COPYs, with ids carried on from the database's own."""

    def __init__(self, conn: Connection, rng: random.Random) -> None:
        self.rng = rng
        ids = conn.execute(
            text(
                "SELECT (SELECT max(id) FROM person), (SELECT max(id) FROM agency_person), "
                "(SELECT max(id) FROM agency_record), (SELECT max(id) FROM person_mention)"
            )
        ).one()
        self.next_person, self.next_ap, self.next_record, self.next_mention = (i + 1 for i in ids)
        self.agencies = conn.execute(
            text("SELECT id, agency_type, code FROM agency WHERE agency_type <> 'oversight'")
        ).all()
        self.persons: list[tuple[int]] = []
        self.agency_people: list[tuple[int, int, str, int]] = []
        self.records: list[tuple[object, ...]] = []
        self.mentions: list[tuple[object, ...]] = []

    def new_agency_person(self, agency_id: int) -> int:
        person_id, ap_id = self.next_person, self.next_ap
        self.next_person += 1
        self.next_ap += 1
        self.persons.append((person_id,))
        self.agency_people.append((ap_id, agency_id, f"LOAD-{ap_id}", person_id))
        return ap_id

    def record(self, agency_id: int, agency_type: str, on: date) -> int:
        record_id = self.next_record
        self.next_record += 1
        kind = self.rng.choice(RECORD_TYPES[agency_type])
        digest = hashlib.sha256(f"record {record_id}".encode()).hexdigest()
        self.records.append(
            (record_id, agency_id, f"LOAD-{record_id:07d}", kind, on, "Background record.",
             "E08000032", digest)
        )  # fmt: skip
        return record_id

    def mention(self, record_id: int, ap_id: int, role: str, who: Person) -> None:
        mention_id = self.next_mention
        self.next_mention += 1
        digest = hashlib.sha256(f"mention {mention_id}".encode()).hexdigest()
        b = who.born
        self.mentions.append(
            (mention_id, record_id, ap_id, 1, True, role, who.given, who.family, b.isoformat(),
             b.year, b.month, b.day, who.sex, who.address, False, digest, SOURCE, mention_id)
        )  # fmt: skip

    def day(self) -> date:
        return date.today() - timedelta(days=self.rng.randint(0, 5 * 365))


def grow(conn: Connection, *, mentions: int, rng: random.Random) -> int:
    """Add background records and mentions until the area holds ``mentions``; returns how many
    were added."""
    have = conn.execute(text("SELECT count(*) FROM person_mention")).scalar_one()
    g = Grower(conn, rng)
    # Every case child: a long chronology in their own agency's records.
    children = conn.execute(
        text(
            "SELECT DISTINCT ON (cc.person_id) ap.id, a.id, a.agency_type, m.given_names, "
            "m.family_name, m.date_of_birth, coalesce(m.sex, 'F'), coalesce(m.address, '') "
            "FROM case_child cc JOIN agency_person ap ON ap.person_id = cc.person_id "
            "JOIN agency a ON a.id = ap.agency_id "
            "JOIN person_mention m ON m.agency_person_id = ap.id AND m.current "
            "ORDER BY cc.person_id, ap.id"
        )
    ).all()
    for ap_id, agency_id, agency_type, given, family, dob, sex, address in children:
        born = date.fromisoformat(dob) if dob and len(dob) == 10 else date(2010, 1, 1)
        child = Person(given or "", family or "", born, sex, address)
        parent = _person(rng, child=False)
        parent_ap = g.new_agency_person(agency_id)
        for _ in range(CASE_CHILD_RECORDS):
            record_id = g.record(agency_id, agency_type, g.day())
            g.mention(record_id, ap_id, "subject", child)
            g.mention(record_id, parent_ap, "parent_carer", parent)
            if rng.random() < 0.3:
                g.mention(
                    record_id,
                    g.new_agency_person(agency_id),
                    "associate",
                    _person(rng, child=False),
                )
    # Background: records naming one to four people, some of whom recur.
    recent: list[tuple[int, Person, int]] = []
    while have + len(g.mentions) < mentions:
        agency_id, agency_type, _ = rng.choice(g.agencies)
        record_id = g.record(agency_id, agency_type, g.day())
        named: set[int] = set()
        for n in range(rng.choice((1, 2, 2, 3, 4))):
            if recent and rng.random() < 0.5:
                ap_id, who, known_at = rng.choice(recent)
                # A person is known to one agency under one reference, and named once a record.
                if known_at != agency_id or ap_id in named:
                    ap_id, who = g.new_agency_person(agency_id), _person(rng, child=n == 0)
            else:
                who = _person(rng, child=n == 0)
                ap_id = g.new_agency_person(agency_id)
            named.add(ap_id)
            recent.append((ap_id, who, agency_id))
            if len(recent) > 5000:
                recent = recent[-2500:]
            g.mention(record_id, ap_id, "subject" if n == 0 else rng.choice(OTHER_ROLES), who)
    _copy(conn, "person", "id", g.persons)
    _copy(conn, "agency_person", "id, agency_id, person_ref, person_id", g.agency_people)
    _copy(
        conn,
        "agency_record",
        "id, agency_id, record_ref, record_type, record_date, narrative, area_code, content_hash",
        g.records,
    )
    added = _copy(
        conn,
        "person_mention",
        "id, record_id, agency_person_id, version, current, person_role, given_names, "
        "family_name, date_of_birth, dob_year, dob_month, dob_day, sex, address, restricted, "
        "content_hash, source_file, source_row",
        g.mentions,
    )
    for seq, value in (
        ("person_id_seq", g.next_person),
        ("agency_person_id_seq", g.next_ap),
        ("agency_record_id_seq", g.next_record),
        ("person_mention_id_seq", g.next_mention),
    ):
        conn.execute(text(f"SELECT setval('{seq}', {value})"))
    return added


def add_accounts(db_url: str, env: dict[str, str]) -> None:
    """The locust users' accounts, through the real services (argon2 password, sealed second
    factor); social workers and investigators and analysts join every case team."""
    os.environ.update({k: v for k, v in env.items() if k.startswith("SAFEHUB_")})
    from safehub.access.actor import Actor
    from safehub.config import load_settings
    from safehub.db.database import connect
    from safehub.db.queries import agencies as aq
    from safehub.db.uow import unit_of_work
    from safehub.services.accounts.mfa import set_up_totp
    from safehub.services.accounts.users import create_user
    from safehub.services.agencies import ensure_team
    from safehub.services.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET
    from safehub.services.handlers import HANDLERS

    db = connect(load_settings(), url=db_url, handlers=HANDLERS)
    try:
        with unit_of_work(db, actor=Actor(label="system:load-bench")) as uow:
            agencies = {a.code: a for a in aq.list_agencies(uow.session)}
            for username, role, code in accounts():
                agency = agencies[code]
                team = ensure_team(uow, agency=agency, name=f"{agency.name} safeguarding team")
                user = create_user(
                    uow,
                    username=username,
                    display_name=f"Load {role.replace('_', ' ')}",
                    password=DEMO_PASSWORD,
                    role=role,
                    agency_id=agency.id,
                    team_id=team.id,
                )
                set_up_totp(uow, user_id=user.id, secret=DEMO_TOTP_SECRET, now=datetime.now(UTC))
            uow.commit()
    finally:
        db.dispose()


def join_case_teams(conn: Connection) -> None:
    """Every load account of a case-team role on every case (again on each run: no harm)."""
    conn.execute(
        text(
            "INSERT INTO case_member (case_id, user_id) SELECT c.id, u.id "
            "FROM safeguarding_case c CROSS JOIN app_user u "
            "WHERE u.username LIKE 'load-%' AND u.role = ANY(:roles) ON CONFLICT DO NOTHING"
        ),
        {"roles": list(CASE_TEAM)},
    )


def build(folder: Path, *, mentions: int, children: int, seed: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o755)
    env = environment(folder)
    from safehub.db.embedded import start_embedded

    if not (folder / "app" / "pg").exists() or not _built(folder):
        started = time.perf_counter()
        subprocess.run(
            [str(SAFEHUB), "demo", "--no-serve", "--children", str(children), "--seed", str(seed)],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        print(f"demo area built in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    url = start_embedded(folder / "app")  # this process keeps the server up while it runs
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            have = conn.execute(text("SELECT count(*) FROM person_mention")).scalar_one()
            done = conn.execute(
                text("SELECT count(*) FROM app_user WHERE username LIKE 'load-%'")
            ).scalar_one()
        if have < mentions:
            started = time.perf_counter()
            with engine.begin() as conn:
                added = grow(conn, mentions=mentions, rng=random.Random(seed))
            with engine.connect() as conn:
                conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))
            print(
                f"{added:,} mentions added in {time.perf_counter() - started:.0f} s",
                file=sys.stderr,
            )
        if not done:
            add_accounts(url, env)
            print(f"{len(accounts())} load accounts added", file=sys.stderr)
        with engine.begin() as conn:
            join_case_teams(conn)
    finally:
        engine.dispose()
    (folder / "built").write_text(f"{mentions}\n")


def _built(folder: Path) -> bool:
    return (folder / "built").exists() or (folder / "app" / "demo-extracts").exists()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--folder", type=Path, default=Path("/tmp/safehub-load"))
    parser.add_argument("--mentions", type=int, default=MENTIONS)
    parser.add_argument("--children", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    build(args.folder, mentions=args.mentions, children=args.children, seed=args.seed)


if __name__ == "__main__":
    main()
