"""Sign-in: does a refusal take the same time whoever is asked about, and how long does it take?

    .venv/bin/python bench/signin_bench.py [--rounds 40]

A throwaway embedded PostgreSQL is started in a temporary folder and migrated. For each round,
the password step is timed (through the real service, in its own transaction, with commit) for
a wrong password of a real user, an unknown username and a disabled account with its right
password; each attempt uses a fresh user or name and source address so that throttling does
not change the path being measured. The rounds are interleaved so that the machine's load falls
on each case alike. Then full sign-ins (password, then a TOTP code) are timed.

No user enumeration by timing: the medians of the three refusals should agree within a few
per cent (each is one Argon2id verification plus the same queries). Needs no data from outside.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyotp
from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.results_file import machine, replace_section

PASSWORD = "kettle lantern orchard ribbon"
SECRET = pyotp.random_base32()
T0 = datetime.now(UTC)


def start_database() -> object:
    from bench.bench_database import start_database as start

    return start("signin")


def make_users(db: object, rounds: int) -> None:
    from safehub.access.actor import Actor
    from safehub.db.uow import unit_of_work
    from safehub.services.accounts.mfa import set_up_totp
    from safehub.services.accounts.users import create_user, disable_user
    from safehub.services.agencies import AgencyEntry, register_agencies

    system = Actor(label="system:bench")
    with unit_of_work(db, actor=system) as uow:  # type: ignore[arg-type]
        register_agencies(uow, entries=[AgencyEntry("LA-1", "social_care", "Council", None, None)])
        uow.commit()
    with unit_of_work(db, actor=system) as uow:  # type: ignore[arg-type]
        agency = uow.session.execute(text("SELECT id FROM agency")).scalar_one()
        for kind in ("real", "gone", "full"):
            for n in range(rounds):
                user = create_user(
                    uow,
                    username=f"{kind}{n}@la",
                    display_name=f"{kind} {n}",
                    password=PASSWORD,
                    role="social_worker",
                    agency_id=agency,
                )
                set_up_totp(uow, user_id=user.id, secret=SECRET, now=T0)
                if kind == "gone":
                    disable_user(uow, target_user_id=user.id, reason="bench")
        uow.commit()


def timed(db: object, username: str, password: str, source: str) -> tuple[float, object]:
    from safehub.access.actor import Actor
    from safehub.db.uow import unit_of_work
    from safehub.services.accounts.signin import check_password

    start = time.perf_counter()
    with unit_of_work(db, actor=Actor(label="anonymous"), source=source) as uow:  # type: ignore[arg-type]
        result = check_password(uow, username=username, password=password, now=T0)
        uow.commit()
    return time.perf_counter() - start, result


def full_sign_in(db: object, n: int) -> float:
    from safehub.access.actor import Actor
    from safehub.db.uow import unit_of_work
    from safehub.services.accounts.signin import (
        PasswordAccepted,
        SignedIn,
        pending_sign_in,
        sign_in_with_code,
    )

    start = time.perf_counter()
    _, step = timed(db, f"full{n}@la", PASSWORD, f"198.51.100.{n % 250}")
    assert isinstance(step, PasswordAccepted), step
    with unit_of_work(db, actor=Actor(label="anonymous")) as uow:  # type: ignore[arg-type]
        waiting = pending_sign_in(uow, token=step.token, now=T0)
        assert waiting is not None
        code = pyotp.TOTP(SECRET).at(T0)
        signed = sign_in_with_code(uow, pending=waiting, code=code, now=T0 + timedelta(seconds=1))
        uow.commit()
    assert isinstance(signed, SignedIn), signed
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=40)
    rounds = parser.parse_args().rounds
    db = start_database()
    make_users(db, rounds)
    cases: dict[str, Callable[[int], tuple[float, object]]] = {
        "wrong password, real user": lambda n: timed(
            db, f"real{n}@la", "wrong " + PASSWORD, f"192.0.2.{n}"
        ),
        "unknown username": lambda n: timed(
            db, f"nobody{n}@la", "wrong " + PASSWORD, f"192.0.2.{n + 100}"
        ),
        "disabled account, right password": lambda n: timed(
            db, f"gone{n}@la", PASSWORD, f"203.0.113.{n}"
        ),
    }
    times: dict[str, list[float]] = {name: [] for name in cases}
    for n in range(rounds):
        for name, run in cases.items():
            took, result = run(n)
            assert result == "refused", (name, result)
            times[name].append(took)
    full = [full_sign_in(db, n) for n in range(rounds)]
    report(times, full, rounds)


def report(times: dict[str, list[float]], full: list[float], rounds: int) -> None:
    medians = {k: statistics.median(v) for k, v in times.items()}
    spread = (max(medians.values()) - min(medians.values())) / min(medians.values())
    rows = "\n".join(
        f"| {k} | {medians[k] * 1000:.0f} ms | {statistics.quantiles(v, n=20)[18] * 1000:.0f} ms |"
        for k, v in times.items()
    )
    body = f"""`.venv/bin/python bench/signin_bench.py --rounds {rounds}` on {machine()}.

The password step through the real service (one transaction each, commit included), {rounds}
attempts per case, interleaved; a fresh user or name and source address per attempt.

| refusal | median | p95 |
|---|---|---|
{rows}

Largest difference between the medians: {spread:.1%} (goal: no difference that tells the cases
apart; each case is one Argon2id verification and the same queries; the p95s show the machine's noise).
Full sign-in (password, then a TOTP code, two transactions): median {statistics.median(full) * 1000:.0f} ms,
p95 {statistics.quantiles(full, n=20)[18] * 1000:.0f} ms.
"""
    replace_section("Sign-in", body)
    print(body)


if __name__ == "__main__":
    main()
