"""NACE Rev. 2 codes as people type them (`C29`, `29.1`, `C27, C28`, `29`, `C27-C29`), made comparable.

A code is kept as its section letter and its digits (`C29.1` -> "C", "291"), so "is this code
inside that one" is a prefix test on the digits. Division numbers are unique across sections,
so a bare `29` gets its letter from the division table below (source: NACE Rev. 2, Eurostat).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# NACE Rev. 2 sections and the divisions they hold (Eurostat, NACE Rev. 2 statistical classification).
SECTION_DIVISIONS = {
    "A": (1, 3),
    "B": (5, 9),
    "C": (10, 33),
    "D": (35, 35),
    "E": (36, 39),
    "F": (41, 43),
    "G": (45, 47),
    "H": (49, 53),
    "I": (55, 56),
    "J": (58, 63),
    "K": (64, 66),
    "L": (68, 68),
    "M": (69, 75),
    "N": (77, 82),
    "O": (84, 84),
    "P": (85, 85),
    "Q": (86, 88),
    "R": (90, 93),
    "S": (94, 96),
    "T": (97, 98),
    "U": (99, 99),
}
DIVISION_SECTION = {f"{d:02d}": s for s, (lo, hi) in SECTION_DIVISIONS.items() for d in range(lo, hi + 1)}

# An optional "NACE" word, an optional section letter, a division, an optional group/class,
# and an optional range end ("C27-C29"). Not part of a longer word or number ("2025", "5G").
TOKEN_RE = re.compile(
    r"(?<![\w.])(?:nace(?:\s*rev\.?\s*2)?\s*:?\s*)?([a-u])?\s?(\d{2})(?:\.(\d{1,2}))?"
    r"(?:\s*[-–]\s*([a-u])?(\d{2}))?(?!\w|\.\d)",
    re.IGNORECASE,
)


@dataclass(frozen=True, order=True)
class NaceCode:
    digits: str  # "29", "291", "2829"
    section: str  # "C"

    @property
    def division(self) -> str:
        return self.digits[:2]

    def __str__(self) -> str:
        rest = self.digits[2:]
        return f"{self.section}{self.division}" + (f".{rest}" if rest else "")

    def contains(self, other: NaceCode) -> bool:
        """True if ``other`` is this code or lies inside it (C29 contains C29.1)."""
        return other.digits.startswith(self.digits)


def code(text: str) -> NaceCode | None:
    """One code as written in the data files (`C29.1`, `A03`, `C28.29`), or None."""
    m = re.fullmatch(r"([A-U])(\d{2})(?:\.(\d{1,2}))?", text.strip())
    if not m or DIVISION_SECTION.get(m.group(2)) != m.group(1):
        return None
    return NaceCode(m.group(2) + (m.group(3) or ""), m.group(1))


def codes(cell: str) -> list[NaceCode]:
    """The `;`-separated codes of a data cell, in order (main code first)."""
    return [c for c in (code(x) for x in str(cell or "").split(";")) if c]


def relation(query: NaceCode, item: NaceCode) -> str | None:
    """How an item's code relates to a code someone typed: 'within', 'broader', 'division' or None."""
    if query.contains(item):
        return "within"
    if item.contains(query):
        return "broader"
    if query.division == item.division:
        return "division"
    return None


@dataclass(frozen=True)
class Parsed:
    codes: tuple[NaceCode, ...]
    rest: str  # the text with the codes taken out (the keywords)
    notes: tuple[str, ...]  # how ambiguous or wrong codes were read


def _one(letter: str | None, division: str, sub: str | None, notes: list[str], raw: str) -> NaceCode | None:
    section = DIVISION_SECTION.get(division)
    if section is None:
        notes.append(f"“{raw}” is not a NACE Rev. 2 division (there is no division {division}).")
        return None
    if letter and letter.upper() != section:
        notes.append(
            f"Division {division} is in NACE section {section}, not {letter.upper()}: "
            f"read “{raw}” as {section}{division}{'.' + sub if sub else ''}."
        )
    return NaceCode(division + (sub or ""), section)


def parse(text: str) -> Parsed:
    """Find the NACE codes in free text; what is left over is returned as ``rest``."""
    found: list[NaceCode] = []
    notes: list[str] = []

    def take(m: re.Match) -> str:
        letter, division, sub, end_letter, end_division = m.groups()
        raw = m.group(0).strip()
        if end_division:
            if (
                sub
                or not DIVISION_SECTION.get(division)
                or not DIVISION_SECTION.get(end_division)
                or end_division < division
            ):
                notes.append(f"Could not read the range “{raw}”; write it like C27-C29.")
                return " "
            span = [f"{d:02d}" for d in range(int(division), int(end_division) + 1)]
            found.extend(NaceCode(d, DIVISION_SECTION[d]) for d in span if d in DIVISION_SECTION)
            return " "
        c = _one(letter, division, sub, notes, raw)
        if c:
            found.append(c)
        return " "

    rest = TOKEN_RE.sub(take, str(text or ""))
    rest = re.sub(r"\bnace(?:\s*rev\.?\s*2)?\b", " ", rest, flags=re.IGNORECASE)
    return Parsed(tuple(dict.fromkeys(found)), rest, tuple(notes))
