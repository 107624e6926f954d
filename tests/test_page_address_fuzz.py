"""Hostile page addresses, generated, on every page: no page raises, nothing from the address is
echoed unescaped (no live link, image, markup or LaTeX from the address reaches the page), and
the address a page writes opens the same state again, without a notice.

Each example is a new AppTest, so a new session (a shared link opens one); the data behind the
pages is cached for the whole test run, so after the first example a run costs under a second.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

NOTICE = "Ignored in the page address"
# Fragments that render as something if echoed into Markdown or HTML unescaped.
HOSTILE = [
    "[a](//e.io)",
    "![x](y)",
    "![i](//e.io/x.png)",
    "<img src=x onerror=alert(1)>",
    "$x$",
    "$x^2$",
    ":red[x]",
    "<script>alert(1)</script>",
    "**bold**",
]
NUMBERS = ["inf", "-Infinity", "Infinity", "1e309", "-1e309", "nan", "NaN", "-0", "99999999999999999999", "3.5", ""]
LONG = st.sampled_from(["a", ",", "[a](//e.io)", "ic:IC048,"]).map(lambda s: (s * 10_000)[:10_000])
# Values each page reads, so that generated addresses also reach the paths a real link takes.
VALID = {
    "pages/map_explorer.py": ["automotive", "440000", "ic:IC048", "cc_prd", "tiles", "23.1", "113.2", "9", "none"],
    "pages/4_Compare.py": ["province:440000,cc:cc_yrd", "cc:cc_prd", "province:440000,province:440000"],
    "pages/6_Partner_finder.py": ["ic:IC048,z:z_huadu_auto_city", "C29", "automotive", "solar"],
    "pages/7_Meeting_brief.py": ["province:440000", "ic:IC048", "sector:ict", "cc:"],
    "pages/8_Presenter_tour.py": ["1", "3", "0", "2.0"],
    "pages/sources.py": ["briefing-2019", "city-clusters", "3.1", "Table 4", "D4", "Guangzhou"],
}
KEYS = {
    "pages/map_explorer.py": ["sector", "priority", "province", "cc", "q", "layers", "basemap", "sel", "lat", "lon"]
    + ["z", "nav"],
    "pages/1_Sectors.py": ["sector", "tab", "q"],
    "pages/2_Policies.py": ["policy", "level", "q"],
    "pages/3_Cooperation.py": ["q", "tab"],
    "pages/4_Compare.py": ["compare", "nav"],
    "pages/5_Data.py": ["dataset", "q"],
    "pages/6_Partner_finder.py": ["shortlist", "q", "sector"],
    "pages/7_Meeting_brief.py": ["scope"],
    "pages/8_Presenter_tour.py": ["step"],
    "pages/9_My_places.py": ["q", "file"],
    "pages/sources.py": ["doc", "sec", "q"],
}
UNKNOWN_KEYS = ["utm_source", "x" * 50, "<b>k</b>", "[a](//e.io)", "$x$"]
EXAMPLES = 15  # per page: a run costs well under a second once the data is loaded


def values(page: str):
    """A value for one key: one the page reads, hostile text, a number, a long or repeated value."""
    valid = VALID.get(page, ["x"])
    odd = HOSTILE + NUMBERS
    return st.one_of(
        st.sampled_from(valid),
        st.lists(st.sampled_from(valid + HOSTILE), min_size=2, max_size=3).map(",".join),
        st.sampled_from(odd),
        st.text(max_size=30),
        LONG,
        st.lists(st.sampled_from(odd + valid), min_size=2, max_size=3),  # a repeated key
    )


def addresses(page: str):
    """Addresses mostly of the page's own keys, with unknown ones mixed in."""
    own = st.sampled_from(KEYS[page])
    keys = st.one_of(own, own, st.sampled_from(UNKNOWN_KEYS))
    return st.dictionaries(keys, values(page), min_size=1, max_size=4)


def rendered(at) -> list[str]:
    """The text of every element whose text Streamlit renders as Markdown (or HTML when allowed)."""
    out = []
    kinds = ("markdown", "html", "latex", "info", "warning", "error", "success", "toast", "caption", "title")
    for kind in kinds + ("subheader", "header"):
        out += [str(e.value) for e in getattr(at, kind)]
    for kind in ("button", "tabs", "expander", "metric", "checkbox", "radio", "selectbox", "multiselect"):
        out += [str(e.label) for e in getattr(at, kind)]
    return out + [str(e.proto.label) for e in at.get("page_link")]


def address(at) -> dict:
    """The address after a run, as the browser would hold it (a repeated key keeps each value)."""
    return {k: (v if isinstance(v, str) else (v[0] if len(v) == 1 else list(v))) for k, v in at.query_params.items()}


def open_page(page: str, params: dict):
    from app_pages import app_test

    at = app_test(page)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def notices(at) -> list[str]:
    return [i.value for i in at.info if NOTICE in str(i.value)]


def run(page: str, params: dict) -> None:
    at = open_page(page, params)
    assert len(notices(at)) <= 1, notices(at)  # one notice names everything that was ignored
    for text in rendered(at):
        for fragment in HOSTILE:
            if fragment in str(params):
                assert fragment not in text, f"{fragment!r} echoed unescaped in {text[:200]!r}"
    written = address(at)
    if written != params:  # the page rewrote its address: that address opens the same state, quietly
        again = open_page(page, written)
        assert address(again) == written and not notices(again), (written, notices(again))


@pytest.mark.parametrize("page", sorted(KEYS))
def test_generated_addresses_never_raise_or_echo_markup(page):
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(addresses(page))
    def check(params):
        run(page, params)

    check()
