"""Filter, search, URL state, drill-down and escaping: the explorer's logic without a browser."""

import pytest

from atlas.drilldown import city_cluster_detail, cluster_detail, detail, policies_for, zone_detail
from atlas.filters import filter_atlas
from atlas.kinds import default_layers
from atlas.search import search
from atlas.state import Known, ViewState, to_params, view_from_url
from components.text import h, md, safe_url


@pytest.fixture(scope="module")
def known(atlas):
    return Known(
        sectors=frozenset(atlas.taxonomy.order),
        priority=frozenset(atlas.taxonomy.priority.index),
        provinces=frozenset({"440000", "320000", "330000"}),
        city_clusters=frozenset(atlas.city_clusters["id"]),
        selectable=frozenset({"ic:IC048", "cc:cc_prd"}),
    )


def huadu(atlas):
    return atlas.clusters[atlas.clusters["industry"] == "Automobile industrial cluster"].iloc[0]


# --- filters ---------------------------------------------------------------------------


def test_no_filter_shows_everything(atlas):
    f = filter_atlas(atlas, ViewState())
    assert len(f.clusters) == 100 and len(f.city_clusters) == 19
    assert len(f.zones) == atlas.zones["lat"].notna().sum()


def test_sector_filter_keeps_only_that_sector(atlas):
    f = filter_atlas(atlas, ViewState(sectors=("automotive",)))
    assert len(f.clusters) == (atlas.clusters["sector"] == "automotive").sum() > 0
    assert set(f.clusters["sector"]) == {"automotive"}
    assert all("automotive" in s.split(";") for s in f.zones["sectors"])


def test_filters_combine(atlas):
    f = filter_atlas(atlas, ViewState(sectors=("textiles",), provinces=("330000",)))
    expected = atlas.clusters[(atlas.clusters["sector"] == "textiles") & atlas.clusters["adcode"].str.startswith("33")]
    assert list(f.clusters["id"]) == list(expected["id"]) and len(expected) > 0


def test_city_cluster_filter(atlas):
    f = filter_atlas(atlas, ViewState(city_clusters=("cc_prd",)))
    assert "IC048" in set(f.clusters["id"])
    assert all("cc_prd" in c.split(";") for c in f.clusters["city_cluster"])
    assert list(f.city_clusters["id"]) == ["cc_prd"]


def test_priority_filter(atlas):
    f = filter_atlas(atlas, ViewState(priority=("human_health",)))
    assert set(f.clusters["industry"]) == {"Pharmaceutical industrial cluster"}


# --- search ----------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["Huadu", "huadu", "花都", "廣州花都", "Hua du", "Huadhu"])
def test_search_finds_huadu_by_english_pinyin_chinese_and_with_a_slip(atlas, query):
    keys = [h.key for h in search(atlas, query)]
    assert "ic:IC048" in keys[:5], (query, keys[:5])


def test_search_finds_zones_city_clusters_organisations_and_cities(atlas):
    assert search(atlas, "Zhongguancun")[0].key == "z:z_zhongguancun"
    assert "cc:cc_prd" in [h.key for h in search(atlas, "Pearl River")]
    assert any(h.key.startswith("org:") for h in search(atlas, "EU SME Centre"))
    assert any(h.key == "pl:440100" for h in search(atlas, "广州"))


def test_search_as_filter_narrows_the_map(atlas):
    f = filter_atlas(atlas, ViewState(q="photovoltaic"))
    assert 0 < len(f.clusters) < 5
    assert all("hotovoltaic" in i or "olar" in i for i in f.clusters["industry"])


def test_nonsense_search_finds_nothing(atlas):
    assert search(atlas, "qqqqzzzz") == []
    assert search(atlas, "   ") == []


# --- URL state -------------------------------------------------------------------------


def test_view_round_trips_through_the_url(known):
    view = ViewState(
        sectors=("automotive", "ict"),
        provinces=("440000",),
        city_clusters=("cc_prd",),
        q="car",
        layers=("clusters", "zones"),
        basemap="tiles",
        sel="ic:IC048",
        lat=23.4,
        lon=113.2,
        zoom=9,
    )
    parsed, note = view_from_url(to_params(view), known)
    assert parsed == view and note is None
    no_layers = ViewState(layers=())  # written as layers=none: read back as no layer, silently
    assert view_from_url(to_params(no_layers), known) == (no_layers, None)


def test_default_view_has_an_empty_url():
    assert to_params(ViewState()) == {}
    assert ViewState().layers == default_layers() == ("clusters", "city_clusters", "zones", "cooperation")


@pytest.mark.parametrize(
    "params,field",
    [
        ({"sector": "automotive,<script>alert(1)</script>"}, "sectors"),
        ({"sel": "ic:IC999"}, "sel"),
        ({"sel": "'; DROP TABLE"}, "sel"),
        ({"lat": "abc", "lon": "113", "z": "5"}, "lat"),
        ({"lat": "95", "lon": "113", "z": "5"}, "lat"),
        ({"lat": "23"}, "lat"),
        ({"z": "999", "lat": "23", "lon": "113"}, "zoom"),
        ({"layers": "clusters,rockets"}, "layers"),
        ({"basemap": "satellite"}, "basemap"),
        ({"utm_source": "mail"}, None),
        ({"province": "999999"}, "provinces"),
    ],
)
def test_malformed_parameters_are_dropped_with_a_notice(known, params, field):
    view, note = view_from_url(params, known)
    assert note and "<script>" not in note
    if field == "sectors":
        assert view.sectors == ("automotive",)
    elif field == "sel":
        assert view.sel == ""
    elif field in ("lat", "zoom"):
        assert view.lat is None and view.zoom is None
    elif field == "layers":
        assert view.layers == ("clusters",)
    elif field == "basemap":
        assert view.basemap == "outline"
    elif field == "provinces":
        assert view.provinces == ()


def test_overlong_query_is_cut(known):
    view, _ = view_from_url({"q": "x" * 300}, known)
    assert len(view.q) <= 80


# --- drill-down ------------------------------------------------------------------------


def test_huadu_panel_names_its_city_cluster_and_the_guangzhou_plan(atlas):
    d = cluster_detail(atlas, huadu(atlas)["id"])
    assert [c.id for c in d.city_clusters] == ["cc_prd"]
    names = [p.name for p in d.policies]
    assert "Guangzhou Automobile Industry 2025 Strategic Plan" in names
    assert names.index("Guangzhou Automobile Industry 2025 Strategic Plan") < 3  # local plans first
    assert any(z.id == "z_huadu_auto_city" for z in d.zones_nearby)
    assert d.cooperation.partnerships, "automotive ESCP-4i partnerships should be listed"
    assert "Table 4" in d.source


def test_city_sector_plan_does_not_apply_to_other_industries(atlas):
    xintang = atlas.clusters[atlas.clusters["industry"] == "Denim clothing industrial cluster"].iloc[0]
    names = [p.name for p in cluster_detail(atlas, xintang["id"]).policies]
    assert "Guangzhou Automobile Industry 2025 Strategic Plan" not in names


def test_national_sector_policies_follow_the_sector(atlas):
    tonghua = atlas.clusters[atlas.clusters["industry"] == "Pharmaceutical industrial cluster"].iloc[0]
    reasons = {p.id: p.reason for p in policies_for(atlas, ["health"], tonghua["adcode"])}
    assert reasons.get("p_healthy_china_2030") == "sector"
    assert "p_auto_industry_dev_policy_2004" not in reasons


def test_city_cluster_panel_counts_its_clusters(atlas):
    d = city_cluster_detail(atlas, "cc_prd")
    inside = atlas.clusters[atlas.clusters["city_cluster"].str.contains("cc_prd")]
    assert sum(d.clusters_by_sector.values()) == len(inside) == len(d.clusters)
    assert len(d.members) == (atlas.city_cluster_members["cluster_id"] == "cc_prd").sum()


def test_zone_panel_lists_nearby_clusters(atlas):
    d = zone_detail(atlas, "z_huadu_auto_city")
    assert any(c.id == "IC048" for c in d.clusters_nearby)


def test_every_selectable_item_has_a_panel(atlas):
    for df, kind in (
        (atlas.clusters, "ic"),
        (atlas.zones, "z"),
        (atlas.city_clusters, "cc"),
        (atlas.events, "ev"),
        (atlas.organisations, "org"),
    ):
        for ident in df["id"]:
            d = detail(atlas, f"{kind}:{ident}")
            assert d and d.title and d.source, (kind, ident)
    assert detail(atlas, "ic:nope") is None and detail(atlas, "zz:1") is None


# --- escaping --------------------------------------------------------------------------


def test_markup_in_names_is_escaped():
    evil = '<img src=x onerror="alert(1)"> *bold* [link](javascript:alert(1))'
    assert "<img" not in h(evil) and "&lt;img" in h(evil)
    escaped = md(evil)
    assert "\\<img" in escaped and "\\*bold\\*" in escaped and "\\[link\\]" in escaped


def test_only_web_links_become_links():
    assert safe_url("www.most.gov.cn") == "https://www.most.gov.cn"
    assert safe_url("javascript:alert(1)") is None
    assert safe_url("") is None


def test_places_are_found_by_their_place_name_pinyin(atlas):
    """花都 reads Huadu and 长沙 Changsha in place names (not pypinyin's everyday dou / zhang)."""
    assert any(h.key == "pl:440114" for h in search(atlas, "huadu qu"))
    assert any(h.key == "pl:430100" for h in search(atlas, "Changsha"))


# --- the map's layers ----------------------------------------------------------------------


def test_layers_are_rebuilt_for_a_new_filter_not_for_a_move_or_a_selection(atlas):
    from components.map_view import layers_key

    base = ViewState()
    key = layers_key(atlas, filter_atlas(atlas, base), base)
    moved = base.with_(lat=23.4, lon=113.2, zoom=9, sel="ic:IC048")
    assert layers_key(atlas, filter_atlas(atlas, moved), moved) == key
    for changed in (
        base.with_(sectors=("automotive",)),
        base.with_(layers=("clusters",)),
        base.with_(city_clusters=("cc_prd",)),
        base.with_(q="huadu"),
    ):
        assert layers_key(atlas, filter_atlas(atlas, changed), changed) != key


def test_point_layer_escapes_labels_and_only_lets_hex_colours_through():
    import folium

    from components import map_layers as ml

    markup = '<img src=x onerror="alert(1)">'
    points = [
        {
            "kind": "ic",
            "id": "X1",
            "lat": 23.0,
            "lon": 113.0,
            "colour": "#0072B2",
            "label": ml.label_text(markup, "Huadu"),
        },
        {
            "kind": "ic",
            "id": "X2",
            "lat": 24.0,
            "lon": 114.0,
            "colour": 'red;"><script>x()</script>',
            "label": ml.label_text("Plain"),
        },
    ]
    m = folium.Map(tiles=None)
    ml.circle_layer("t", points).group().add_to(m)
    code = m.get_root().render()
    assert markup not in code and "<script>x()" not in code and 'onerror="' not in code
    layer = next(c for c in ml.circle_layer("t", points).group()._children.values() if hasattr(c, "rows"))
    assert [r[2] for r in layer.rows] == ["#0072B2", ml.FALLBACK_COLOUR]
    assert [f["properties"]["id"] for f in layer.data["features"]] == ["X1", "X2"]


def test_the_map_legend_lists_the_sectors_and_symbols_in_view(atlas):
    from components import map_layers as ml
    from components.map_view import data_layers

    view = ViewState(sectors=("automotive", "textiles"), layers=("clusters", "zones"))
    groups = [layer.group() for layer in data_layers(atlas, filter_atlas(atlas, view), view)]
    legend = next(c for c in groups[-1]._children.values() if isinstance(c, ml.Legend)).html
    tax = atlas.taxonomy
    assert legend.count('class="atlas-dot"') == 2
    assert ml.html.escape(tax.label("automotive")) in legend and tax.colour("automotive") in legend
    assert ml.html.escape(tax.label("textiles")) in legend and tax.label("health") not in legend
    assert "High-tech zone or park" in legend and "city cluster" not in legend and "EU-China" not in legend
    assert "<script>" not in ml.legend_html([("#000000", "<script>x</script>")])

    zones_only = ViewState(layers=("zones", "provinces"))  # zones are coloured by their first sector
    groups = [layer.group() for layer in data_layers(atlas, filter_atlas(atlas, zones_only), zones_only)]
    legend = next(c for c in groups[-1]._children.values() if isinstance(c, ml.Legend)).html
    firsts = {str(s).split(";")[0] if s == s else "" for s in atlas.zones.dropna(subset=["lat"])["sectors"]}
    assert legend.count('class="atlas-dot"') == len(firsts - {""}) > 1
    assert ("no sector named" in legend) == ("" in firsts)
    assert "Province shading" in legend


def test_a_panel_lists_each_event_once_however_many_stops_it_had(atlas):
    """A mission to three cities is one event in a panel, not three lines (its places are listed)."""
    multi = atlas.events.groupby("event_group").filter(lambda g: len(g) > 1)
    assert len(multi), "the data hold missions with several stops"
    seen_merged = False
    for key in [f"ic:{i}" for i in atlas.clusters["id"]] + [f"z:{i}" for i in atlas.zones["id"]]:
        d = detail(atlas, key)
        groups = [e.group for e in d.cooperation.events]
        assert len(groups) == len(set(groups)), key
        seen_merged |= any(e.group in set(multi["event_group"]) for e in d.cooperation.events)
    assert seen_merged, "some panel lists a mission with several stops"


def test_a_detail_is_computed_once_and_shared(atlas):
    assert detail(atlas, "ic:IC048") is detail(atlas, "ic:IC048")


def test_every_map_gets_fresh_folium_objects_from_the_layers_shared_by_all_sessions(atlas):
    """streamlit-folium renames the groups it draws: two sessions' maps must never share one."""
    from components.map_view import data_layers, ring_layer

    view = ViewState(sectors=("automotive",))
    specs = data_layers(atlas, filter_atlas(atlas, view), view)
    assert data_layers(atlas, filter_atlas(atlas, view), view) is specs  # worked out once
    first, second = [s.group() for s in specs], [s.group() for s in specs]
    assert all(a is not b for a, b in zip(first, second, strict=False))
    children = [c for g in first for c in g._children.values()]
    assert children and not {id(c) for c in children} & {id(c) for g in second for c in g._children.values()}
    selected = detail(atlas, "ic:IC048")
    assert ring_layer(atlas, selected) is ring_layer(atlas, selected)
    assert ring_layer(atlas, selected).group() is not ring_layer(atlas, selected).group()


def test_the_map_drawn_without_template_compiles_is_the_map_folium_draws(atlas):
    """PlainRender skips branca's compiling of rendered parts; the page must be the same."""
    import re

    import folium

    from components import map_layers as ml
    from components.map_view import data_layers

    class FoliumMap(folium.Map):  # folium's own rendering, with the atlas map's assets
        default_js, default_css = ml.AtlasMap.default_js, ml.AtlasMap.default_css

    def page(map_cls, pane_cls, group_cls) -> str:
        m = map_cls(location=ml.CHINA_CENTER, zoom_start=4, tiles=None, keyboard=False)
        pane_cls(ml.CLUSTER_PANE, z_index=650).add_to(m)
        for spec in data_layers(atlas, filter_atlas(atlas, ViewState()), ViewState()):
            fg = group_cls(name=spec.name).add_to(m)
            for make in spec.makers:
                make().add_to(fg)
        return re.sub(r"_[0-9a-f]{32}", "_ID", m.get_root().render())

    ours = page(ml.AtlasMap, folium.map.CustomPane, folium.FeatureGroup)
    assert ours == page(FoliumMap, folium.map.CustomPane, folium.FeatureGroup)
    assert "IC048" in ours and "{{" not in ours


def test_every_map_element_keeps_the_name_branca_gives_it(atlas):
    """PlainRender works out an element's name stem once per kind; streamlit-folium finds the map,
    the groups and their children by these names, so each must be branca's own."""
    from branca.element import Element

    from components import map_layers as ml
    from components.map_view import data_layers

    m = ml.base_map("outline")
    view = ViewState(layers=("clusters", "zones", "cooperation", "city_clusters", "provinces"))
    specs = data_layers(atlas, filter_atlas(atlas, view), view) + [ml.highlight_layer(30.0, 120.0)]
    groups = [spec.group().add_to(m) for spec in specs]
    elements = [m, *m._children.values(), *(c for g in groups for c in g._children.values())]
    ours = [e for e in elements if isinstance(e, ml.PlainRender)]
    assert len({type(e) for e in ours}) >= 6  # map, panes, groups, outline, labels, points, legend...
    for e in ours:
        assert e.get_name() == Element.get_name(e)
        e._id = "feature_group_3"  # streamlit-folium renames what it draws
        assert e.get_name() == Element.get_name(e)
