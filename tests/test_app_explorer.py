"""The explorer page under streamlit.testing: renders, restores URL state, filters, warns."""

from pathlib import Path

import pytest
from app_pages import app_test
from conftest import run_page as run_page_at
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "pages" / "map_explorer.py")
SHOW_FILTERS = "Show the filters now"


def run(**params) -> AppTest:
    """The explorer with its filters drawn. In a browser the map's first report draws them;
    AppTest has no browser, so the test asks for them as a user whose map cannot load would."""
    at = run_page_at(APP, **params)
    next(b for b in at.sidebar.button if b.label == SHOW_FILTERS).click().run()
    assert not at.exception, at.exception
    return at


def metric(at, label):
    """'<n> of <total>' from the counts line above the map, e.g. metric(at, "Industrial clusters")."""
    line = next(m.value for m in at.markdown if "industrial clusters" in m.value and " · " in m.value)
    for part in line.split(" · "):
        counted = part.split(" (")[0]  # "**12** of 100 industrial clusters (2010 list)"
        if counted.lower().endswith(label.lower()):
            return counted[: -len(label)].replace("**", "").strip()
    raise AssertionError(f"{label} is not counted in {line!r}")


def all_markdown(at) -> str:
    return "\n".join(m.value for m in at.markdown) + "\n".join(c.value for c in at.caption)


def test_first_run_draws_the_map_first_and_the_filters_on_request():
    at = run_page_at(APP)
    assert len(at.get("component_instance")) == 1  # the map
    assert metric(at, "Industrial clusters") == "100 of 100"
    assert not at.sidebar.text_input and not at.sidebar.multiselect
    assert "appear as soon as the map has drawn itself" in at.sidebar.caption[0].value
    next(b for b in at.sidebar.button if b.label == SHOW_FILTERS).click().run()
    assert at.text_input(key="f_q") and at.pills(key="f_sectors") and at.multiselect(key="f_provinces")
    assert at.pills(key="f_layers").value == ["clusters", "city_clusters", "zones", "cooperation"]
    assert any(b.key == "p_start_ic:IC048" for b in at.button)  # the panel's examples


def test_explorer_renders_with_everything_counted():
    at = run()
    assert at.title[0].value == "China Cluster Atlas"
    assert metric(at, "Industrial clusters") == "100 of 100"
    assert metric(at, "City clusters") == "19 of 19"
    assert "Click anything on the map" in [s.value for s in at.subheader]


def test_selection_in_the_url_opens_the_panel():
    at = run(sel="ic:IC048")
    assert "Automobile industrial cluster" in [s.value for s in at.subheader]
    text = all_markdown(at)
    assert "Guangzhou Automobile Industry 2025 Strategic Plan" in text
    assert any("Pearl River Delta" in b.label for b in at.button)


def test_the_panels_long_lists_are_drawn_when_their_section_is_opened():
    at = run(sel="ic:IC048")
    text = all_markdown(at)
    assert "**Who to contact**" not in text and "Responsible:" not in text  # folded: not sent
    at.session_state["p_ic_who"] = True
    at.session_state["p_all_policies"] = True
    at.run()
    text = all_markdown(at)
    assert "**Who to contact**" in text and "Responsible:" in text
    assert not at.exception


def test_panel_link_moves_the_selection_to_the_city_cluster():
    at = run(sel="ic:IC048")
    next(b for b in at.button if b.label.startswith("City cluster: Pearl River Delta")).click().run()
    assert not at.exception
    assert any("Pearl River Delta" in s.value for s in at.subheader)
    assert at.query_params["sel"] in ("cc:cc_prd", ["cc:cc_prd"])


def test_filter_changes_the_counts_and_the_url():
    at = run()
    at.pills(key="f_sectors").set_value(["automotive"]).run()
    assert not at.exception
    n = metric(at, "Industrial clusters")
    assert n.endswith("of 100") and 0 < int(n.split()[0]) < 100
    assert at.query_params["sector"] in ("automotive", ["automotive"])


def test_url_filters_are_restored(atlas):
    at = run(sector="textiles", province="330000")
    assert at.pills(key="f_sectors").value == ["textiles"]
    c = atlas.clusters
    expected = ((c["sector"] == "textiles") & c["adcode"].str.startswith("33")).sum()
    assert metric(at, "Industrial clusters") == f"{expected} of 100"


@pytest.mark.parametrize(
    "params",
    [
        {"sel": "ic:<b>bad</b>"},
        {"sector": "rockets", "z": "banana", "lat": "x"},
        {"foo": "bar", "layers": "clusters,lasers"},
        {"q": "'\"<script>"},
    ],
)
def test_odd_url_parameters_give_a_notice_not_an_exception(params):
    at = run(**params)
    assert metric(at, "Industrial clusters").endswith("of 100")
    notices = [i.value for i in at.info]
    if "q" not in params:
        assert notices and all("<b>" not in n and "<script>" not in n for n in notices)


def test_search_lists_matches_to_open():
    at = run(q="Huadu")
    hits = [b for b in at.sidebar.button if "Automobile industrial cluster" in b.label]
    assert hits
    hits[0].click().run()
    assert "Automobile industrial cluster" in [s.value for s in at.subheader]


def test_clear_filters_resets_the_widgets_and_the_counts():
    at = run(sector="automotive", q="car")
    assert metric(at, "Industrial clusters") != "100 of 100"
    next(b for b in at.sidebar.button if b.label == "Clear filters").click().run()
    assert not at.exception
    assert metric(at, "Industrial clusters") == "100 of 100"
    assert at.pills(key="f_sectors").value == [] and at.text_input(key="f_q").value == ""


def test_layer_switch_is_kept_in_the_url():
    at = run()
    at.pills(key="f_layers").unselect("zones").run()
    assert not at.exception
    assert "zones" not in str(at.query_params["layers"])


def test_empty_panel_offers_the_tour_examples_once_the_map_is_up():
    at = run()
    start = [b for b in at.button if b.key and b.key.startswith("p_start_")]
    assert [b.label for b in start][:1] == ["Industrial cluster: Automobile industrial cluster"]
    start[0].click().run()
    assert "Automobile industrial cluster" in [s.value for s in at.subheader]
    assert at.query_params["sel"] in ("ic:IC048", ["ic:IC048"])


def test_the_cluster_count_above_the_map_says_it_is_the_2010_list():
    at = app_test().run()
    line = next(m.value for m in at.markdown if "industrial clusters" in m.value and " · " in m.value)
    assert "industrial clusters (2010 list)" in line
