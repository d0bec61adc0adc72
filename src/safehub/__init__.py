"""Safehub: multi-agency safeguarding against child sexual exploitation."""
