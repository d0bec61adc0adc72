"""The strict axe check under the name some tests import: ``assert_accessible`` is the same."""

from __future__ import annotations

from tests.browser.conftest import assert_accessible as assert_no_findings

__all__ = ["assert_no_findings"]
