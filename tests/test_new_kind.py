"""A new clickable kind takes its data file and one registry entry: nothing else. The test adds
"pilot free trade zones" (three rows in a copy of data/, one ``kinds.register``) and finds them
on the map, in its legend and layer toggle, in the counts, in search, by address, in the panel,
in the exports and in the partner finder: each of those is derived from atlas/kinds.py."""

import shutil
from pathlib import Path

import pytest
from conftest import run_page

from atlas import kinds, manifest
from atlas.exports import all_datasets, dataset_csv
from atlas.filters import filter_atlas
from atlas.load import load_atlas
from atlas.partners.query import build_query
from atlas.partners.scoring import find_partners
from atlas.paths import DATA_DIR, DATA_DIR_ENV, STATIC_DIR
from atlas.search import search
from atlas.state import ViewState
from atlas.validate import Column as C
from atlas.validate import Schema
from components import map_layers as ml
from components.map_view import data_layers

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "pages" / "map_explorer.py"
SOURCE = "000_84dd9b47cfbecbda.txt §3.1 Cluster mapping"
ROWS = f"""id,name_en,name_zh,city_en,province_en,adcode,city_cluster,sector,lat,lon,source
ftz_lingang,Lingang pilot free trade zone,临港新片区,Shanghai,Shanghai,310115,cc_yrd,automotive,30.90,121.93,{SOURCE}
ftz_nansha,Nansha pilot free trade zone,南沙新区片区,Guangzhou,Guangdong,440115,cc_prd,ict,22.80,113.53,{SOURCE}
ftz_binhai,Binhai pilot free trade zone,滨海新区片区,Tianjin,Tianjin,120116,cc_jingjinji,machinery,39.03,117.71,{SOURCE}
"""

# The one registry entry: everything else follows from it.
FTZ = kinds.Kind(
    "ftz",
    "Pilot free trade zone",
    "pilot free trade zones",
    "pilot_ftz",
    kinds.Layer(
        "ftz",
        "Pilot free trade zones",
        (("diamond", "Pilot free trade zone"),),
        counted="pilot free trade zones",
    ),
    8,
    schema=Schema(
        "pilot_ftz.csv",
        (
            C("id", "id", required=True),
            C("name_en", required=True),
            C("name_zh"),
            C("city_en"),
            C("province_en"),
            C("adcode", "adcode"),
            C("city_cluster"),
            C("sector", "sector", required=True),
            C("lat", "lat"),
            C("lon", "lon"),
            C("source", "source", required=True),
        ),
    ),
    marker=kinds.Marker("circle", "sector:sector", ("name_en", "city_en"), size=7),
    filters=frozenset({"sector", "province", "city_cluster"}),
    export=kinds.Export("Pilot free trade zones", "Zones and policies"),
    partner=True,
    tour=True,
)


@pytest.fixture(scope="module")
def ftz_data(tmp_path_factory):
    """A copy of data/ with the new file (and the manifest written again, as after any data change)."""
    data = tmp_path_factory.mktemp("ftz") / "data"
    shutil.copytree(DATA_DIR, data)
    (data / "pilot_ftz.csv").write_text(ROWS, encoding="utf-8")
    manifest.write(data, STATIC_DIR)
    kinds.register(FTZ)
    yield data
    kinds.unregister("ftz")


@pytest.fixture(scope="module")
def ftz_atlas(ftz_data):
    return load_atlas(ftz_data)


def test_the_map_draws_it_with_its_legend_row(ftz_atlas):
    view = ViewState()
    assert "ftz" in view.layers  # on by default
    layers = data_layers(ftz_atlas, filter_atlas(ftz_atlas, view), view)
    m = ml.base_map()
    for layer in layers:
        layer.group().add_to(m)
    page = m.get_root().render()
    for ident in ("ftz_lingang", "ftz_nansha", "ftz_binhai"):
        assert f'"id": "{ident}", "kind": "ftz"' in page
    assert "Pilot free trade zone\\u003c/div" in page  # its legend row (in the legend script's JSON)
    off = view.with_(layers=tuple(c for c in view.layers if c != "ftz"))
    hidden = data_layers(ftz_atlas, filter_atlas(ftz_atlas, off), off)
    assert not any("ftz_lingang" in str(getattr(mk, "args", "")) for layer in hidden for mk in layer.makers)


def test_filters_apply_to_it(ftz_atlas):
    assert len(filter_atlas(ftz_atlas, ViewState(sectors=("ict",))).table("pilot_ftz")) == 1
    assert len(filter_atlas(ftz_atlas, ViewState(provinces=("310000",))).table("pilot_ftz")) == 1
    assert len(filter_atlas(ftz_atlas, ViewState(city_clusters=("cc_prd", "cc_yrd"))).table("pilot_ftz")) == 2


def test_search_finds_it(ftz_atlas):
    hits = search(ftz_atlas, "Lingang")
    assert hits and hits[0].key == "ftz:ftz_lingang" and hits[0].kind == "pilot free trade zone"
    assert any(h.key == "ftz:ftz_nansha" for h in search(ftz_atlas, "南沙"))


def test_exports_offer_it_under_its_title(ftz_data):
    ds = next(d for d in all_datasets(ftz_data) if d.file == "pilot_ftz.csv")
    assert (ds.title, ds.group, ds.geometry) == ("Pilot free trade zones", "Zones and policies", "point")
    assert b"ftz_binhai" in dataset_csv(ds, ftz_data)


def test_the_partner_finder_ranks_it(ftz_atlas):
    found = find_partners(ftz_atlas, build_query(ftz_atlas, "", sectors=("automotive",)))
    assert "ftz:ftz_lingang" in [r.key for r in found.groups["pilot_ftz"]]


def test_the_explorer_opens_it_by_address_counts_it_and_toggles_it(ftz_data, monkeypatch):
    monkeypatch.setenv(DATA_DIR_ENV, str(ftz_data))
    at = run_page(APP, sel="ftz:ftz_nansha")
    text = "\n".join(m.value for m in at.markdown)
    assert "**3** of 3 pilot free trade zones" in text  # the counts line
    assert "Pilot free trade zone" in text  # the panel's kind label
    assert [s.value for s in at.subheader] == ["Nansha pilot free trade zone"]
    assert not at.warning, [w.value for w in at.warning]  # the address was understood
    next(b for b in at.sidebar.button if b.label == "Show the filters now").click().run()
    assert "Pilot free trade zones" in at.pills(key="f_layers").options  # the layer toggle


def test_the_slide_of_a_view_names_its_layer_and_cites_its_sources(ftz_atlas):
    """'Download this view': the slide's title names the new layer and its source line cites the
    new kind's documents, with no hand list to extend."""
    from components.slide_views import view_source, view_title

    view = ViewState(layers=("ftz",))
    assert view_title(view, None) == "China Cluster Atlas: Pilot free trade zones"
    assert "ECCP" in view_source(filter_atlas(ftz_atlas, view), view)
