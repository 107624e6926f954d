"""The one text normaliser behind every search index (the explorer's search, the partner
finder's keywords, the upload gazetteer), so that a name typed one way meets it written another.

Folding is Unicode NFKC (full-width letters, "²" as "2"), case folding, no accents or tone marks,
punctuation as spaces. Chinese characters stay as they are and are also read as toneless pinyin
with the place-name readings of atlas/place_names.py; traditional and simplified characters meet
through that pinyin (蕭山 and 萧山 are both xiao shan).
"""

from __future__ import annotations

import re
import unicodedata

from atlas.place_names import place_syllables

HAN_CHARS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
HAN = re.compile(f"[{HAN_CHARS}]")
WORD = re.compile(f"[{HAN_CHARS}]+|[^\\W_{HAN_CHARS}]+")
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "or",
        "the",
        "of",
        "in",
        "for",
        "with",
        "to",
        "on",
        "from",
        "by",
        "at",
        "as",
        "is",
        "are",
        "me",
        "my",
        "our",
        "we",
        "i",
    ]
)


def fold(text) -> str:
    """'Solar Water-Heaters' -> 'solar water heaters', 'Lüliang' -> 'luliang', 'ＡｄＰａｃｋ²' ->
    'adpack2': NFKC, case folded, no accents, every run of punctuation and space one space."""
    text = unicodedata.normalize("NFKC", str(text if text is not None else "")).casefold()
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(WORD.findall(unicodedata.normalize("NFC", text)))


def stem(word: str) -> str:
    """Singular of an English plural, enough to meet 'batteries' and 'battery'."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def words(text, singular: bool = False) -> list[str]:
    """The folded words of a text; a run of Chinese characters is one word. With ``singular``,
    English plurals become singular."""
    out = WORD.findall(fold(text))
    return [stem(w) if singular and not HAN.match(w) else w for w in out]


def phrase(text) -> str:
    """A text as its singular words, space-separated: 'Solar Water-Heaters' -> 'solar water heater'."""
    return " ".join(words(text, singular=True))


def contains_words(haystack: str, needle: str) -> bool:
    """Whole words of two phrases: 'electric car' contains 'car', 'cardboard' does not."""
    return bool(needle) and f" {needle} " in f" {haystack} "


def is_han(word: str) -> bool:
    return bool(HAN.match(word))


def has_han(text) -> bool:
    return bool(HAN.search(str(text or "")))


def syllables(han: str) -> list[str]:
    """Toneless pinyin syllables of Chinese characters, ü as u (place-name readings)."""
    return [fold(s).replace("v", "u") for s in place_syllables(han)]


def latin(text) -> str:
    """'Xi'an' -> 'xian', 'Lüliang' -> 'luliang': folded letters and digits only, no spaces."""
    return re.sub(r"[^a-z0-9]", "", fold(text))


WEB_GENERIC = frozenset(
    ["www", "en", "english", "com", "org", "net", "gov", "edu", "ac", "cn", "eu", "no", "info", "int"]
)


def website_name(url) -> str:
    """The name a body's own web address gives it, which people search by: "https://www.sae-china.org"
    -> "sae-china" (SAE-China), "http://en.ndrc.gov.cn" -> "ndrc"; the label before the generic endings."""
    host = re.sub(r"^[a-z]+://", "", str(url or "").strip().lower()).split("/")[0]
    labels = [x for x in host.split(".") if x and x not in WEB_GENERIC]
    return labels[-1] if labels else ""
