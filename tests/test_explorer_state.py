"""The explorer's state model (atlas/state.py): pure transitions, no Streamlit, no browser."""

import math
import re

import pytest

from atlas import kinds
from atlas import page_params as pp
from atlas import state as es
from atlas.state import ExplorerState, Known, ViewState

KNOWN = Known(
    sectors=frozenset({"automotive", "ict"}),
    priority=frozenset({"ict"}),
    provinces=frozenset({"440000"}),
    city_clusters=frozenset({"cc_prd"}),
    selectable=frozenset({"ic:IC048", "cc:cc_prd", "z:z_zhangjiang"}),
)
HUADU = {"kind": "ic", "id": "IC048", "label": "Automobile industrial cluster"}


def click(state, count, props=HUADU, map_key="m"):
    return es.on_map_event(
        state,
        map_key,
        {
            "last_object_clicked_count": count,
            "last_active_drawing": {"properties": props},
            "center": {"lat": 23.4, "lng": 113.2},
            "zoom": 9,
        },
    )


def test_a_click_selects_and_a_repeat_click_after_clear_selects_again():
    s = click(ExplorerState(), 1)
    assert s.view.sel == "ic:IC048" and s.clicked == "ic:IC048"
    s = es.clear(s)
    assert s.view.sel == ""
    s = click(s, 2)  # the same marker: a new count is a new click
    assert s.view.sel == "ic:IC048"


def test_a_repeat_click_after_selecting_something_else_opens_it_again():
    s = click(ExplorerState(), 1)
    s = es.select(s, "cc:cc_prd", (23.0, 113.5))
    assert s.view.sel == "cc:cc_prd" and s.clicked == ""
    s = click(s, 2)
    assert s.view.sel == "ic:IC048"


def test_a_report_without_a_new_click_changes_only_the_view():
    s = click(ExplorerState(), 1)
    s = es.clear(s)
    moved = es.on_map_event(
        s,
        "m",
        {
            "last_object_clicked_count": 1,
            "last_active_drawing": {"properties": HUADU},
            "center": {"lat": 30.0, "lng": 110.0},
            "zoom": 6,
        },
    )
    assert moved.view.sel == "" and (moved.view.lat, moved.view.lon, moved.view.zoom) == (30.0, 110.0, 6)


def test_the_first_report_marks_the_map_as_up_and_selects_nothing():
    s = es.on_map_event(
        ExplorerState(),
        "m",
        {"last_object_clicked_count": 0, "last_active_drawing": None, "center": {"lat": 35, "lng": 104.5}, "zoom": 4},
    )
    assert s.map_reported and s.view.sel == "" and s.view.zoom == 4


def test_a_new_map_instance_counts_from_zero():
    s = click(ExplorerState(), 3, map_key="m_outline")
    s = es.clear(s)
    s = click(s, 0, map_key="m_tiles")  # the tiles map's first report
    assert s.view.sel == ""
    s = click(s, 1, map_key="m_tiles")
    assert s.view.sel == "ic:IC048"


def test_clicks_on_things_that_are_not_places_select_nothing():
    for props in ({}, {"kind": "province", "id": "440000"}, {"kind": "ic"}, None):
        assert click(ExplorerState(), 1, props).view.sel == ""


def test_select_from_outside_pans_there_and_asking_twice_is_still_a_change():
    s = es.select(ExplorerState(), "ic:IC048", (23.4, 113.2))
    assert s.pan.zoom == kinds.select_zoom("ic:IC048") and s.pan.lat == 23.4
    again = es.select(es.clear(s), "ic:IC048", (23.4, 113.2))
    assert again.pan.center != s.pan.center  # the map sees a new request
    assert math.isclose(again.pan.center[0], 23.4, abs_tol=1e-5)


def test_select_without_a_location_keeps_the_map_where_it_is():
    s = es.select(ExplorerState(), "ic:IC048", (23.4, 113.2))
    assert es.select(s, "pl:440114").pan == s.pan


def test_filters_change_the_view_and_keep_the_selection():
    s = es.select(ExplorerState(), "ic:IC048", (23.4, 113.2))
    s = es.set_filters(s, sectors=("automotive",))
    assert s.view.sectors == ("automotive",) and s.view.sel == "ic:IC048"


def test_from_url_pans_to_the_position_or_else_to_the_selection():
    s, note = es.from_url({"sel": "ic:IC048", "lat": "23.4", "lon": "113.2", "z": "9"}, KNOWN)
    assert note is None and (s.pan.lat, s.pan.lon, s.pan.zoom) == (23.4, 113.2, 9)
    s, _ = es.from_url({"sel": "ic:IC048"}, KNOWN, locate=lambda key: (23.0, 113.0))
    assert (s.pan.lat, s.pan.zoom) == (23.0, kinds.select_zoom("ic:IC048"))
    assert es.from_url({}, KNOWN)[0].pan is None


def test_a_shared_view_is_where_the_map_is_drawn_and_its_first_report_keeps_the_address():
    """The map starts at the view the link names, so its first report is that view: the address
    never shows all of China on the way, and no pan (a run more) is needed."""
    from components import map_layers as ml

    opened, _ = es.from_url({"lat": "31.6557", "lon": "120.748", "z": "9"}, KNOWN)
    assert opened.start == opened.pan and opened.start.zoom == 9
    m = ml.base_map("outline", (opened.start.center, opened.start.zoom))
    assert m.location == [pytest.approx(31.6557), pytest.approx(120.748)] and m.options["zoom"] == 9
    lat, lon = opened.start.center
    drawn = es.on_map_event(
        opened, "m", {"center": {"lat": lat, "lng": lon}, "zoom": 9, "last_object_clicked_count": 0}
    )
    assert drawn.map_reported and es.to_url(drawn) == es.to_url(opened)
    assert es.select(drawn, "ic:IC048", (23.4, 113.2)).start == opened.start  # where it started stays
    assert ExplorerState().start is None  # no view named: all of China


def test_every_address_the_explorer_writes_reads_back_the_same():
    views = [
        ViewState(),
        ViewState(layers=()),
        ViewState(layers=("provinces",), basemap="tiles"),
        ViewState(
            sectors=("automotive", "ict"),
            provinces=("440000",),
            city_clusters=("cc_prd",),
            q="car, 花都",
            sel="cc:cc_prd",
            lat=23.4,
            lon=113.2,
            zoom=9,
        ),
    ]
    for view in views:
        state = ExplorerState(view=view)
        back, note = es.from_url(es.to_url(state), KNOWN)
        assert back.view == view and note is None


@pytest.mark.parametrize(
    "params",
    [
        {"lat": "30", "lon": "110", "z": "inf"},
        {"lat": "1e309", "lon": "110"},
        {"lat": "-Infinity", "lon": "1"},
        {"lat": "nan", "lon": "110", "z": "5"},
        {"z": "1e400", "lat": "30", "lon": "110"},
        {"sector": ["automotive", "rockets"], "sel": ["ic:IC048", "ic:IC048"]},
        {"q": "x" * 10_000},
        {"sel": "[a](//e.io)"},
        {"nonsense": "1", "layers": "none,lasers"},
    ],
)
def test_hostile_addresses_never_raise_and_are_named_in_one_notice(params):
    s, note = es.from_url(params, KNOWN)
    assert isinstance(s, ExplorerState) and note and note.count("Ignored") == 1
    assert "](" not in note and "<" not in note
    assert s.view.lat is None or math.isfinite(s.view.lat)


def test_repeated_list_keys_are_joined():
    s, note = es.from_url({"sector": ["automotive", "ict"]}, KNOWN)
    assert s.view.sectors == ("automotive", "ict") and note is None


# --- the address parser every page uses (atlas/page_params.py) -----------------------------------


def test_a_list_parameter_keeps_at_most_its_limit_and_says_how_many_it_left_out():
    spec = [pp.Param("compare", "choices", "place", frozenset("abcdefg"), max_items=3)]
    values, ignored = pp.parse({"compare": "a,b,a,c,d,e"}, spec)
    assert values == {"compare": ("a", "b", "c")}
    assert ignored == ["2 places over the limit of 3"]


def test_an_unknown_value_is_named_with_what_it_is_not():
    spec = [pp.Param("scope", "choice", "scope", frozenset({"province:440000"}), hint="no such province")]
    values, ignored = pp.parse({"scope": "xyz"}, spec)
    assert values == {} and pp.notice(ignored) == "Ignored in the page address: unknown scope `xyz` (no such province)."


def test_a_parameter_may_allow_a_longer_raw_value_than_the_default():
    choices = frozenset(f"item{i:03d}" for i in range(100))
    long = ",".join(sorted(choices))
    assert len(long) > pp.MAX_RAW
    short = pp.Param("list", "choices", "item", choices)
    roomy = pp.Param("list", "choices", "item", choices, max_raw=len(long))
    assert pp.parse({"list": long}, [short]) == ({}, ["an overlong item"])
    assert pp.parse({"list": long}, [roomy]) == ({"list": tuple(sorted(choices))}, [])


def test_a_quoted_value_stays_one_inline_code_span():
    """A blank line inside the value would end the code span and let the rest (a bare URL) render."""
    quoted = pp.shown("x\n\nhttps://e.io `y` [a](//e.io) <img src=x>")
    assert quoted.startswith("``") and quoted.endswith("``") and "`y`" in quoted
    assert "\n" not in quoted and "[" not in quoted and "<" not in quoted


def code_span(quoted: str) -> str:
    """The text of the one CommonMark code span ``quoted`` must be (fails if a backtick run inside
    closes it early): the span ends at the first run as long as its opening fence."""
    fence = re.match(r"`+", quoted).group()
    inner = quoted[len(fence) : len(quoted) - len(fence)]
    assert quoted.endswith(fence) and len(fence) not in {len(r) for r in re.findall(r"`+", inner)}
    assert not inner.startswith("`") and not inner.endswith("`")  # else the fences are longer runs
    if inner.startswith(" ") and inner.endswith(" ") and inner.strip():
        inner = inner[1:-1]
    return inner


@pytest.mark.parametrize(
    "value",
    ["a`b", "a``b", "```", "`x`", "``x``", "a```b`c", "x``` **y** <b>z</b> [l](//e.io)", "`"],
)
def test_backticks_in_a_value_cannot_close_the_notice_code_span(value):
    """The value is shown as typed, backticks included, inside one span: nothing after it renders."""
    text = code_span(pp.shown(value))
    assert text == " ".join(re.sub(r"[^\w\s.,:;@/+`-]", "", value).split())
    assert "`" in text and "<" not in text and "*" not in text and "[" not in text
