"""data/synonyms.csv: a word's synonyms, sectors and NACE codes, checked like every data file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from atlas import nace
from atlas.cache import memoised
from atlas.load import read_csv
from atlas.normalise import phrase
from atlas.paths import DATA_DIR
from atlas.schemas import SYNONYMS
from atlas.text import split
from atlas.validate import Context, validate_frame


@dataclass(frozen=True)
class Synonym:
    term: str
    words: tuple[str, ...]  # the term and its synonyms as typed in the file
    keys: frozenset[str]  # the same, normalised
    sectors: tuple[str, ...]
    codes: tuple[nace.NaceCode, ...]
    source: str


@memoised(4)
def load_synonyms(data_dir: Path = DATA_DIR, sectors: frozenset[str] = frozenset()) -> tuple[Synonym, ...]:
    """data/synonyms.csv, checked like every other data file (DataFileError names row and field)."""
    df = read_csv(data_dir, SYNONYMS)
    validate_frame(df, SYNONYMS, Context(sectors=sectors))
    out = []
    for r in df.to_dict("records"):
        ws = (r["term"], *split(r["synonyms"]))
        out.append(
            Synonym(
                r["term"],
                ws,
                frozenset(phrase(w) for w in ws),
                tuple(split(r["sectors"])),
                tuple(nace.codes(r["nace"])),
                r["source"],
            )
        )
    return tuple(out)


def code_fit(word: nace.NaceCode, codes, flagged: bool) -> tuple[str, nace.NaceCode] | None:
    """How a word's NACE code (from this table) sits with a record's codes: ("within", code) when
    the record is coded inside it; ("broader", code) when coded around it and ``flagged`` for the
    word's EU-China priority sector ("wind", 28.11, and the renewable-energy equipment cluster
    coded 28.1; not the valves cluster coded 28.1); None otherwise. The partner finder and the
    map search both read a word's code this way."""
    for rel in ("within", "broader") if flagged else ("within",):
        for c in codes:
            if nace.relation(word, c) == rel:
                return rel, c
    return None
