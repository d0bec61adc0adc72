"""Staff accounts and signing in: a password, then a second factor, then a session.

- ``signin``: the two sign-in steps, and sessions (resumed, timed out, signed out);
- ``account``: the signed-in user's own account (passkeys, recovery codes, password), always the
  account of whoever the unit of work acts as;
- ``users``: accounts created, disabled and moved to another agency or role, and the ``Actor`` a user acts as;
- ``passwords``: Argon2id hashes and the rules a new password must meet;
- ``mfa``: authenticator-app codes (TOTP, sealed at rest) and single-use recovery codes;
- ``passkeys``: WebAuthn, the phishing-resistant second factor;
- ``throttle``: failed sign-ins counted per account and per source address.
"""

from safehub.services.accounts.account import (
    AccountSecurity,
    add_passkey,
    change_password,
    issue_new_recovery_codes,
    remove_passkey,
    start_adding_passkey,
    view_account_security,
)
from safehub.services.accounts.mfa import Factors, TotpEnrolment
from safehub.services.accounts.passkeys import Ceremony, PasskeyError, parse_json_body
from safehub.services.accounts.passwords import PasswordRejectedError
from safehub.services.accounts.signin import (
    Enrolled,
    PasswordAccepted,
    Pending,
    Refusal,
    SignedIn,
    StaffUser,
    cancel_sign_in,
    check_password,
    enrol_and_sign_in,
    passkey_challenge,
    pending_enrolment,
    pending_sign_in,
    resume_session,
    second_factors,
    sign_in_with_code,
    sign_in_with_passkey,
    sign_in_with_recovery_code,
    sign_out,
)
from safehub.services.accounts.users import (
    AccountChange,
    actor_for,
    create_user,
    disable_user,
    reassign_user,
)

__all__ = [
    "AccountChange",
    "AccountSecurity",
    "Ceremony",
    "Enrolled",
    "Factors",
    "PasskeyError",
    "PasswordAccepted",
    "PasswordRejectedError",
    "Pending",
    "Refusal",
    "SignedIn",
    "StaffUser",
    "TotpEnrolment",
    "actor_for",
    "add_passkey",
    "cancel_sign_in",
    "change_password",
    "check_password",
    "create_user",
    "disable_user",
    "enrol_and_sign_in",
    "issue_new_recovery_codes",
    "parse_json_body",
    "passkey_challenge",
    "pending_enrolment",
    "pending_sign_in",
    "reassign_user",
    "remove_passkey",
    "resume_session",
    "second_factors",
    "sign_in_with_code",
    "sign_in_with_passkey",
    "sign_in_with_recovery_code",
    "sign_out",
    "start_adding_passkey",
    "view_account_security",
]
