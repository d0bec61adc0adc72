"""Staff accounts and signing in: a password, then a second factor, then a session.

- ``users``: accounts (created, disabled) and the sign-in steps and sessions;
- ``passwords``: Argon2id hashes and the rules a new password must meet;
- ``mfa``: authenticator-app codes (TOTP, sealed at rest) and single-use recovery codes;
- ``passkeys``: WebAuthn, the phishing-resistant second factor;
- ``throttle``: failed sign-ins counted per account and per source address.
"""
