"""Pinyin of Chinese place names, for search: pypinyin with the readings place names use.

pypinyin reads characters as in everyday words; in place names some read otherwise
(长治 Changzhi, 花都 Huadu, 朝阳 Chaoyang, 重庆 Chongqing, 厦门 Xiamen).
"""

from __future__ import annotations

from pypinyin import lazy_pinyin

from atlas.cache import memoised

PLACE_READINGS = {"长": "chang", "都": "du", "朝": "chao", "重": "chong", "厦": "xia"}


@memoised(65536)
def place_syllables(text: str) -> tuple[str, ...]:
    """Toneless pinyin syllables of a place name (ü as v), with the place-name readings above;
    letters and digits in the text come back grouped, as pypinyin gives them. Cached: pypinyin
    takes about a millisecond a name and the search index reads thousands."""
    syllables = lazy_pinyin(text)
    if len(syllables) != len(text):  # letters or digits were grouped: nothing to correct
        return tuple(syllables)
    return tuple(PLACE_READINGS.get(ch, syl) for ch, syl in zip(text, syllables, strict=False))


def place_pinyin(text: str) -> str:
    """Toneless pinyin of a place name: pypinyin, with the place-name readings above."""
    return "".join(place_syllables(text))
