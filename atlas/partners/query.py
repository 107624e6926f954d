"""Read what someone typed: NACE codes and English keywords in one box, plus chosen sectors.

Keywords match whole words after the shared normaliser (case, accents, plurals); data/synonyms.csv
widens a word to its synonyms, sectors and NACE codes; rapidfuzz reads a spelling slip as the
nearest word the atlas knows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from atlas import nace
from atlas.cache import per_atlas
from atlas.normalise import STOPWORDS, contains_words, phrase
from atlas.partners.index import PartnerIndex, partner_index
from atlas.partners.synonyms import Synonym, load_synonyms

MAX_TEXT = 200
MAX_PHRASES = 8
FUZZY_CUTOFF = 85  # rapidfuzz ratio for reading a slip as a known word
SUGGEST_CUTOFF = 60
EXAMPLES = ("C29", "solar", "medical devices", "textile machinery", "C27, C28", "batteries")
SYNONYM_W, CORRECTED_W, WORD_W = 0.8, 0.9, 0.7  # a synonym, a corrected slip, one word of a phrase


@dataclass(frozen=True)
class Term:
    text: str  # normalised words to look for
    facet: str  # the phrase it comes from (one facet counts once, however many synonyms hit)
    weight: float
    why: str  # how it was read, for the explanation
    synonym: bool = False  # a synonym of what was typed: it counts in names and keywords, not in descriptions


@dataclass(frozen=True)
class Query:
    sectors: dict = field(default_factory=dict)  # sector id -> why (chosen or named)
    priorities: dict = field(default_factory=dict)  # EU-China priority sector id -> why (named)
    codes: tuple = ()  # NaceCode typed
    terms: tuple = ()  # Term
    implied_sectors: dict = field(default_factory=dict)  # sector id -> why (from synonyms.csv)
    implied_codes: tuple = ()  # (NaceCode, why, facet)
    notes: tuple = ()
    unmatched: tuple = ()  # phrases nothing could be made of
    sources: tuple = ()  # synonyms.csv rows used

    @property
    def empty(self) -> bool:
        return not (self.sectors or self.priorities or self.codes or self.terms or self.unmatched)


@dataclass
class Lexicon:
    """The words the atlas knows: the index's texts and the synonym table."""

    index: PartnerIndex
    synonyms: tuple[Synonym, ...]

    def __post_init__(self):
        self.by_term = {phrase(s.term): s for s in self.synonyms}
        self.synonym_text = " | ".join(sorted({k for s in self.synonyms for k in s.keys}))
        vocab = self.index.vocabulary | {k for s in self.synonyms for k in s.keys}
        self.vocabulary = sorted(vocab | {w for v in vocab for w in v.split() if len(w) >= 4})

    def synonym_rows(self, p: str) -> list[Synonym]:
        """Rows for a typed word. A row's own term also brings in the rows its synonyms are terms of
        (solar lists photovoltaics, so "solar" finds PV), but "photovoltaics" does not bring in solar heat."""
        own = self.by_term.get(p)
        if own:
            return [own] + [self.by_term[k] for k in (phrase(w) for w in own.words[1:]) if k in self.by_term and k != p]
        return [s for s in self.synonyms if p in s.keys]

    def known(self, p: str) -> bool:
        return self.index.known(p) or contains_words(self.synonym_text, p)

    def corrections(self, p: str) -> list[str]:
        """Known words a slip most likely meant (none for short words: 'IT' is not 'it')."""
        if len(p) < 4 or self.known(p):
            return []
        hits = process.extract(p, self.vocabulary, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=2)
        return [h[0] for h in hits]


def lexicon_for(atlas) -> Lexicon:
    return per_atlas(
        atlas,
        "partner_lexicon",
        lambda a: Lexicon(partner_index(a), load_synonyms(sectors=frozenset(a.taxonomy.order))),
    )


def phrases(text: str) -> list[str]:
    """Comma/semicolon/slash-separated phrases, stop-words alone dropped."""
    parts = re.split(r"[,;/|\n]+|\s+or\s+", text)
    out = []
    for p in parts:
        p = re.sub(r"\s+", " ", p).strip(" .:-'\"")
        if p and any(w not in STOPWORDS for w in phrase(p).split()):
            out.append(p[:60])
    return list(dict.fromkeys(out))[:MAX_PHRASES]


@dataclass
class _Reader:
    """Turns typed phrases into terms, using what the atlas actually contains."""

    lexicon: Lexicon
    terms: list = field(default_factory=list)
    sectors: dict = field(default_factory=dict)
    priorities: dict = field(default_factory=dict)
    implied_sectors: dict = field(default_factory=dict)
    implied_codes: list = field(default_factory=list)
    sources: list = field(default_factory=list)

    def read(self, typed: str, facet: str, weight: float, why: str) -> bool:
        """Add the terms one phrase stands for; False if nothing in the atlas knows it."""
        p = phrase(typed)
        index = self.lexicon.index
        found = False
        for sector, alias in index.sector_aliases.items():
            if p in alias:
                self.sectors.setdefault(sector, f"{why} names the sector {index.labels[sector]}")
                found = True
        for priority, alias in index.priority_aliases.items():  # "human health": the priority sector
            if p in alias:
                self.priorities.setdefault(priority, f"{why} names the EU-China priority sector")
                for sector, (pr, _label) in index.priorities.items():
                    if pr == priority:
                        self.implied_sectors.setdefault(sector, f"{why} names its EU-China priority sector")
                found = True
        for sector, part in index.sector_parts.items():  # "furniture" is not all consumer goods
            if p in part:
                self.implied_sectors.setdefault(sector, f"{why} is part of this sector")
                found = True
        if self.lexicon.known(p):
            self.terms.append(Term(p, facet, weight, why))
            found = True
        for syn in self.lexicon.synonym_rows(p):
            found = True
            self.sources.append(syn.source)
            for w in syn.words:
                if phrase(w) != p:
                    self.terms.append(Term(phrase(w), facet, weight * SYNONYM_W, f"{why} → synonym “{w}”", True))
            for s in syn.sectors:
                self.implied_sectors.setdefault(s, f"{why} is a term of this sector")
            for c in syn.codes:
                self.implied_codes.append((c, f"{why} is NACE {c}", facet))
        return found

    def read_phrase(self, typed: str) -> bool:
        quoted = f"“{typed}”"
        if self.read(typed, typed, 1.0, quoted):
            return True
        for fix in self.lexicon.corrections(phrase(typed)):
            if self.read(fix, typed, CORRECTED_W, f"{quoted} read as “{fix}”"):
                return True
        words = [w for w in typed.split() if w.lower() not in STOPWORDS and len(w) >= 2]
        if len(words) > 1:
            hits = [self.read_phrase_word(w, typed) for w in words]
            return any(hits)
        return False

    def read_phrase_word(self, word: str, typed: str) -> bool:
        why = f"“{word}” (from “{typed}”)"
        if self.read(word, word, WORD_W, why):
            return True
        return any(
            self.read(fix, word, WORD_W * CORRECTED_W, f"“{word}” read as “{fix}”")
            for fix in self.lexicon.corrections(phrase(word))
        )


def build_query(atlas, text: str = "", sectors=()) -> Query:
    """Read what someone typed (NACE codes and keywords in one box) plus the sectors they chose."""
    lexicon = lexicon_for(atlas)
    labels = lexicon.index.labels
    parsed = nace.parse(str(text or "")[:MAX_TEXT])
    reader = _Reader(lexicon)
    chosen = {s: f"you chose {labels[s]}" for s in sectors if s in labels}
    unmatched = [p for p in phrases(parsed.rest) if not reader.read_phrase(p)]
    terms: dict[tuple, Term] = {}
    for t in reader.terms:  # one term per word and phrase, the strongest reading kept
        if (t.text, t.facet) not in terms or t.weight > terms[(t.text, t.facet)].weight:
            terms[(t.text, t.facet)] = t
    return Query(
        sectors={**reader.sectors, **chosen},
        priorities=reader.priorities,
        codes=parsed.codes,
        terms=tuple(terms.values()),
        implied_sectors={
            k: v for k, v in reader.implied_sectors.items() if k not in chosen and k not in reader.sectors
        },
        implied_codes=tuple(reader.implied_codes),
        notes=parsed.notes,
        unmatched=tuple(unmatched),
        sources=tuple(dict.fromkeys(reader.sources)),
    )


def suggestions(atlas, text: str, limit: int = 5) -> list[str]:
    """Queries worth trying: known words close to what was typed, else the examples."""
    lexicon = lexicon_for(atlas)
    close = []
    if phrase(text):
        hits = process.extract(
            phrase(text), lexicon.vocabulary, scorer=fuzz.WRatio, score_cutoff=SUGGEST_CUTOFF, limit=limit * 3
        )
        close = [h[0] for h in hits if len(h[0]) >= 3]
    return list(dict.fromkeys(close))[:limit] or list(EXAMPLES)
