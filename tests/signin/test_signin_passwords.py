"""Password rules: 12 characters or more, not a common (breached) password, hashed with Argon2id."""

from __future__ import annotations

import pytest

from safehub.services.accounts.passwords import (
    PasswordRejectedError,
    check_new_password,
    hash_password,
    password_problem,
    verify_password,
)


def test_a_password_under_12_characters_is_refused() -> None:
    assert (
        password_problem("eleven chrs", username="sam") == "Password must be 12 characters or more"
    )
    assert password_problem("twelve chars", username="sam") is None


@pytest.mark.parametrize(
    "common", ["password1234", "qwertyuiop123", "1234567890123", "Password2024!"]
)
def test_a_common_password_is_refused_even_with_digits_added(common: str) -> None:
    assert (
        password_problem(common, username="sam")
        == "Choose a password that is not a commonly used one"
    )


def test_the_username_is_not_a_password() -> None:
    assert password_problem("sam.smith.bradford", username="sam.smith.bradford@la") is not None


def test_a_long_passphrase_is_accepted() -> None:
    assert password_problem("kettle lantern orchard ribbon", username="sam") is None


def test_setting_a_refused_password_raises_with_the_reason() -> None:
    with pytest.raises(PasswordRejectedError, match="commonly used"):
        check_new_password("iloveyou12345", username="sam")


def test_passwords_are_stored_as_argon2id_hashes() -> None:
    stored = hash_password("kettle lantern orchard ribbon")
    assert stored.startswith("$argon2id$")
    assert verify_password(stored, "kettle lantern orchard ribbon")
    assert not verify_password(stored, "kettle lantern orchard ribbons")
