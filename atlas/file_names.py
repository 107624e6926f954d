"""The one maker of download names: a text as lower-case words joined by '-', safe in any file
system and in a Frictionless package name."""

from __future__ import annotations

import re


def slug(text: str, limit: int = 60, keep: str = "", whole_words: bool = False) -> str:
    """'Automotive (2010 list)' -> 'automotive-2010-list'; at most ``limit`` characters (cut at a
    word's end with ``whole_words``); ``keep`` names characters kept as they are; empty -> 'data'."""
    out = re.sub(rf"[^a-z0-9{re.escape(keep)}]+", "-", text.lower()).strip("-")
    if whole_words and len(out) > limit:
        out = out[: limit + 1].rsplit("-", 1)[0]
    return out[:limit] or "data"
