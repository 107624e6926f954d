"""Text helpers shared by the data services: a data cell's list of values."""

from __future__ import annotations


def split(cell) -> list[str]:
    """A ";"-separated cell as its values ("ict;services" -> ["ict", "services"]; empty -> [])."""
    return [x for x in str(cell or "").split(";") if x]
