"""Fixtures for the network tests: the web client and sign-in, shared from the web folder."""

from __future__ import annotations

from tests.web.conftest import client, signed_in

__all__ = ["client", "signed_in"]
