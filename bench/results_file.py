"""Writing one benchmark's section of bench/results.md, leaving the other sections as they are."""

from __future__ import annotations

import fcntl
import os
import platform
import re
from datetime import date
from pathlib import Path

RESULTS = Path(__file__).with_name("results.md")


def machine() -> str:
    """What the numbers were measured on, for the line under each heading."""
    load = os.getloadavg()[0]
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{date.today().isoformat()}, {os.cpu_count()} cores, {memory:.0f} GiB, "
        f"Python {platform.python_version()}, load average {load:.1f} when the run ended"
    )


def replace_section(heading: str, body: str) -> None:
    """Replace the ``## heading`` section (up to the next ``## ``) or append it."""
    write_section(f"## {heading}", f"## {heading}\n\n{body.strip()}\n")


def write_section(heading_line: str, section: str, results: Path = RESULTS) -> None:
    """Replace the section that starts with ``heading_line`` by ``section`` (which starts with
    it), or append it; other sections are left as they are. Benchmarks may run at once, so the
    file is locked while it is rewritten."""
    results.touch()
    with results.open("r+", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        text = handle.read() or "# Benchmark results\n"
        block = "\n" + section.strip() + "\n\n"
        pattern = re.compile(rf"^{re.escape(heading_line)}\n.*?(?=^## |\Z)", re.S | re.M)
        if pattern.search(text):
            text = pattern.sub(lambda _m: block.lstrip("\n"), text)
        else:
            text = text.rstrip() + "\n" + block
        handle.seek(0)
        handle.truncate()
        handle.write(text.rstrip() + "\n")
