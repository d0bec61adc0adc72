"""The web fixtures (a page-checking client, signed-in users) for the sign-in tests too."""

from tests.web.conftest import client, signed_in

__all__ = ["client", "signed_in"]
