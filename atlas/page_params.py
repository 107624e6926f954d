"""State kept in the page address: each page declares its parameters once, and one parser reads
them. Parsing never raises: anything odd (unknown keys, unknown values, non-finite or huge
numbers, repeated keys, very long values) is dropped and named in one notice.

No Streamlit here; components/page_state.py reads and writes ``st.query_params`` with it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

MAX_RAW = 400  # longer values are not read at all
MAX_SHOWN = 40  # characters of a value quoted back in a notice


@dataclass(frozen=True)
class Param:
    """One address parameter.

    ``kind``: "choice" (one of ``choices``), "choices" (comma-separated, each one of ``choices``,
    at most ``max_items`` of them), "text" (free text up to ``max_len``), "int" or "float" (finite,
    within ``lo``..``hi``). ``what`` names it in notices ("sector", "map position"); ``hint`` says
    what an unknown value is not ("no such province or sector"). A raw value longer than
    ``max_raw`` is not read at all (a long shortlist needs more than the default).
    """

    name: str
    kind: str
    what: str = ""
    choices: frozenset[str] | None = None
    lo: float = -math.inf
    hi: float = math.inf
    max_len: int = 80
    max_items: int | None = None
    max_raw: int = MAX_RAW
    hint: str = ""

    @property
    def label(self) -> str:
        return self.what or self.name


def shown(value) -> str:
    """A value quoted for a notice: short, on one line, stripped of Markdown/HTML characters and
    set as inline code, so that nothing in it (a URL, LaTeX, a colour directive) is rendered; a
    line break could end the code span, so whitespace is collapsed first. Backticks are kept as
    typed: the fence is one longer than the longest run of them (CommonMark), padded with a space
    when the value starts or ends with one, so no backtick in the value can close the span."""
    text = " ".join(re.sub(r"[^\w\s.,:;@/+`-]", "", str(value)).split())[:MAX_SHOWN].strip()
    if not text:
        return "an empty value"
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _unknown(p: Param, bad: list[str]) -> str:
    """What an unknown value was, and (when the parameter says) what it is not."""
    hint = f" ({p.hint})" if p.hint else ""
    return f"unknown {p.label} {', '.join(shown(b) for b in bad[:3])}{hint}"


def _plural(label: str) -> str:
    """ "place" -> "places", "shortlist entry" -> "shortlist entries" (labels are ours, in English)."""
    return label[:-1] + "ies" if re.search(r"[^aeiou]y$", label) else label + "s"


def _choices(p: Param, raw: str) -> tuple[tuple[str, ...], list[str]]:
    """Known entries in order without repeats, at most ``max_items`` of them."""
    parts = [v.strip() for v in raw.split(",") if v.strip()]
    good = tuple(dict.fromkeys(v for v in parts if v in (p.choices or ())))
    bad = [v for v in parts if v not in (p.choices or ())]
    ignored = [_unknown(p, bad)] if bad else []
    if p.max_items is not None and len(good) > p.max_items:
        extra = len(good) - p.max_items
        ignored.append(f"{extra} {_plural(p.label) if extra > 1 else p.label} over the limit of {p.max_items}")
        good = good[: p.max_items]
    return good, ignored


def _number(raw: str, p: Param) -> float | None:
    try:
        x = float(raw)
    except (TypeError, ValueError, OverflowError):
        return None
    if not math.isfinite(x) or not (p.lo <= x <= p.hi):
        return None
    return x


def parse_one(p: Param, raw: str) -> tuple[object, list[str]]:
    """(value or None, what was ignored) for one parameter's raw text."""
    if len(raw) > p.max_raw:
        return None, [f"an overlong {p.label}"]
    if p.kind == "choice":
        return (raw, []) if raw in (p.choices or ()) else (None, [_unknown(p, [raw])])
    if p.kind == "choices":
        return _choices(p, raw)
    if p.kind == "text":
        return raw[: p.max_len], []
    if p.kind in ("int", "float"):
        x = _number(raw, p)
        if x is None:
            return None, [f"a {p.label} out of range {shown(raw)}"]
        return (int(x) if p.kind == "int" else x), []
    raise ValueError(f"unknown parameter kind {p.kind}")  # a programming error, not user input


def parse(
    params: Mapping[str, str | Iterable[str]], spec: Iterable[Param], ignore: Iterable[str] = ()
) -> tuple[dict[str, object], list[str]]:
    """Raw address parameters -> (values by name, what was ignored). Values of repeated keys: the
    lists are joined for "choices", the last one counts otherwise (and the repeat is noted)."""
    by_name = {p.name: p for p in spec}
    skip = set(ignore)
    values: dict[str, object] = {}
    ignored: list[str] = []
    for key, raw in params.items():
        raws = [raw] if isinstance(raw, str) else [str(r) for r in raw]
        if key in skip:
            continue
        p = by_name.get(key)
        if p is None:
            ignored.append(f"unknown parameter {shown(key)}")
            continue
        if not raws:
            continue
        if len(raws) > 1 and p.kind != "choices":
            ignored.append(f"repeated {p.label}")
        text = ",".join(raws) if p.kind == "choices" else raws[-1]
        value, bad = parse_one(p, text)
        ignored += bad
        if value is not None:
            values[key] = value
    return values, ignored


def notice(ignored: list[str]) -> str | None:
    """One sentence naming what was ignored (None when nothing was)."""
    if not ignored:
        return None
    items = list(dict.fromkeys(ignored))
    more = f" and {len(items) - 6} more" if len(items) > 6 else ""
    return "Ignored in the page address: " + "; ".join(items[:6]) + more + "."
