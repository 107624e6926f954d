"""Hostile page addresses, generated: no page raises, and nothing from the address is echoed
unescaped (no live link, image, markup or LaTeX from the address reaches the page)."""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT

# Fragments that render as something if echoed into Markdown or HTML unescaped.
HOSTILE = [
    "[a](//e.io)",
    "![i](//e.io/x.png)",
    "<img src=x onerror=alert(1)>",
    "$x^2$",
    ":red[x]",
    "<script>alert(1)</script>",
    "**bold**",
]
NUMBERS = ["inf", "-Infinity", "1e309", "nan", "-0", "99999999999999999999", "3.5", "0x10", ""]
VALUES = st.one_of(
    st.sampled_from(HOSTILE + NUMBERS),
    st.text(max_size=30),
    st.text(min_size=500, max_size=600, alphabet="ab,"),
    st.lists(st.sampled_from(HOSTILE + NUMBERS), min_size=2, max_size=3),
)

PAGES = {
    "pages/map_explorer.py": [
        "sector",
        "priority",
        "province",
        "cc",
        "q",
        "layers",
        "basemap",
        "sel",
        "lat",
        "lon",
        "z",
        "nav",
    ],
    "pages/8_Presenter_tour.py": ["step"],
}


def rendered(at) -> list[str]:
    out = []
    for kind in ("markdown", "info", "warning", "error", "caption", "title", "subheader", "header"):
        out += [str(e.value) for e in getattr(at, kind)]
    return out


def run(page: str, params: dict) -> None:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(Path(ROOT) / page), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    for text in rendered(at):
        for fragment in HOSTILE:
            if fragment in str(params):
                assert fragment not in text, f"{fragment!r} echoed unescaped in {text[:200]!r}"


@pytest.mark.parametrize("page", sorted(PAGES))
def test_generated_addresses_never_raise_or_echo_markup(page):
    keys = st.sampled_from(PAGES[page] + ["utm_source", "x" * 50, "<b>k</b>"])

    @settings(
        max_examples=12,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(st.dictionaries(keys, VALUES, min_size=1, max_size=4))
    def check(params):
        run(page, params)

    check()
