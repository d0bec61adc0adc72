"""The staff web UI."""
