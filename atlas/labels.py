"""How a record is named for people: a name with its period, the period printed once.

Some names carry their period already ("13th Five-Year Plan (2016-2020)"); appending the years
again printed "(2016-2020) (2016–2020)". Every list that shows a name with its years uses this.
"""

from __future__ import annotations

import re

YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")


def states_period(name: str, period: str) -> bool:
    """True if every year of the period is already written in the name."""
    years = YEAR.findall(period or "")
    return bool(years) and set(years) <= set(YEAR.findall(name or ""))


def with_period(name: str, period: str) -> str:
    """'Made in China 2025 (since 2015)'; the name alone when it already states the period or none is known."""
    name, period = str(name or ""), str(period or "").strip()
    return name if not period or states_period(name, period) else f"{name} ({period})"
