"""The kinds of place the atlas can select: one registry, so that the address, the map, its
legend and layer toggle, the filters, the counts, the panel, search, the exports, the partner
finder, the tour and the brief all agree on what can be clicked and how it is named.

Everything that differs between kinds is in its ``Kind``; every list of kinds elsewhere is derived
from ``KINDS`` (in its order). Adding a clickable kind takes its data file and one ``register()``
call (docs/architecture.md, "Kinds of place"). Functions a kind names (detail, search entries,
partner-finder records) are given as callables or as "module:function" strings, resolved when
first used: the registry imports none of the modules that read it. Marker shapes and legend
symbols are names that the map code (components/map_layers.py) draws: no Streamlit here.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field

from atlas.validate import Schema

SHAPES = ("circle", "diamond", "triangle")  # point markers components/map_layers.py draws
SYMBOLS = SHAPES + ("area", "area-world", "shade")  # legend symbols it draws
FILTERS = ("sector", "priority", "province", "city_cluster")  # the sidebar's filters


@dataclass(frozen=True)
class Layer:
    """A map layer the sidebar toggles. ``draw``: "points" (the markers of its kinds), or a named
    drawing the map code makes ("city_cluster_areas", "province_shading"). ``legend``: its key rows,
    (symbol, text). ``counted``: what the counts line calls its items (None: not counted)."""

    code: str
    toggle: str
    legend: tuple[tuple[str, str], ...] = ()
    default_on: bool = True
    draw: str = "points"
    counted: str | None = None


@dataclass(frozen=True)
class Marker:
    """How a row becomes a point: ``shape`` (SHAPES), ``colour`` (a hex colour, or "sector:<column>":
    the colour of the first sector the column names), ``label`` (the columns of its tooltip, in
    order), ``size`` (a circle's radius in pixels), ``only`` (which rows are drawn; None: every
    located row)."""

    shape: str
    colour: str
    label: tuple[str, ...]
    size: int = 6
    only: Callable[[dict], bool] | None = None

    def shows(self, row: dict) -> bool:
        located = row.get("lat") == row.get("lat") and row.get("lat") not in (None, "")
        return located and (self.only is None or self.only(row))


@dataclass(frozen=True)
class Export:
    """The kind's entry on the Data page and in the downloads (atlas/exports.py ``Dataset``)."""

    title: str
    group: str
    readme: str = ""


@dataclass(frozen=True)
class Kind:
    """One kind of selectable place.

    ``dataset``: the Atlas table holding its records (None: not a dataset of ours, e.g. a city or
    county from the division seats, or a row of the user's own upload); ``schema``: the checks of
    its data file (a kind of the atlas's own tables is loaded by atlas/load.py; any other is loaded
    from its schema's file, with points from its lat/lon); ``layer``: the map layer that draws it
    (None: never drawn as its own marker); ``marker``: how its rows become points (None: drawn as
    areas, or not at all); ``zoom``: the zoom a selection from outside the map pans to;
    ``on_map``: a click on its marker or area selects it; ``filters``: which sidebar filters apply
    (FILTERS), read from ``sector_column`` / ``priority_column`` / ``adcode`` / ``city_cluster_column``;
    ``searched``: it is offered by search (results of equal score listed by ``search_rank``), with ``search_entries(atlas)`` (atlas/search.py Entry
    records; None: one entry per row from ``search_names``); ``detail``: its panel's builder
    (atlas, id) -> Detail; ``export``: its Data page entry (None: the file is offered as an
    "other dataset"); ``partner``: the partner finder ranks it, with
    ``partner_docs(atlas)`` (atlas/partners/index.py Doc records; None: one per row, from its
    search names and places, sectors and source);
    ``tour``, ``brief``: the tour may select it, the meeting brief may be about it.
    """

    code: str
    label: str
    plural: str
    dataset: str | None
    layer: Layer | None
    zoom: int
    on_map: bool = True
    schema: Schema | None = None
    marker: Marker | None = None
    filters: frozenset[str] = frozenset()
    sector_column: str = "sector"
    priority_column: str = "priority_sector"
    city_cluster_column: str = "city_cluster"
    searched: bool = True
    search_entries: Callable | str | None = None
    search_names: tuple[str, ...] = ("name_en", "name_zh")
    search_where: tuple[str, ...] = ("city_en", "province_en")
    search_rank: int = 100
    detail: Callable | str | None = None
    export: Export | None = None
    partner: bool = False
    partner_docs: Callable | str | None = None
    tour: bool = False
    brief: bool = False
    extra: dict = field(default_factory=dict, compare=False)


def resolve(ref: Callable | str | None) -> Callable | None:
    """A kind's function, given as itself or as "module:function" (imported when first used)."""
    if ref is None or callable(ref):
        return ref
    module, _, name = ref.partition(":")
    return getattr(importlib.import_module(module), name)


ALL_FILTERS = frozenset(FILTERS)
CLUSTERS = Layer(
    "clusters",
    "Top-100 industrial clusters (2010)",
    counted="industrial clusters (2010 list)",
)
CITY_CLUSTERS = Layer(
    "city_clusters",
    "19 city clusters",
    (("area-world", "World-class city cluster"), ("area", "Other city cluster")),
    draw="city_cluster_areas",
    counted="city clusters",
)
ZONES = Layer(
    "zones",
    "High-tech zones and parks",
    (("diamond", "High-tech zone or park (colour = its sector)"),),
    counted="zones and parks",
)
COOPERATION = Layer(
    "cooperation",
    "EU-China cooperation",
    (("triangle", "EU-China event, mission or support office"),),
    counted="cooperation markers",
)
# Layers that are no kind's: drawn from what the kinds' layers show.
PROVINCES = Layer(
    "provinces",
    "Province shading (clusters per province)",
    (("shade", "Province shading: more clusters, darker"),),
    default_on=False,
    draw="province_shading",
)
OTHER_LAYERS = (PROVINCES,)
COOPERATION_COLOUR = "#1F2933"

KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    """Add (or replace) a kind; everything derived from the registry follows on its next read.
    The kind's layer is toggled, drawn and counted after the layers already registered."""
    if kind.marker is not None and kind.marker.shape not in SHAPES:
        raise ValueError(f"kind {kind.code}: marker shape {kind.marker.shape!r} is not one of {SHAPES}")
    if kind.layer is not None and any(s not in SYMBOLS for s, _ in kind.layer.legend):
        raise ValueError(f"kind {kind.code}: a legend symbol is not one of {SYMBOLS}")
    KINDS[kind.code] = kind
    return kind


def unregister(code: str) -> None:
    KINDS.pop(code, None)


for _kind in (
    Kind(
        "ic",
        "Industrial cluster",
        "industrial clusters",
        "clusters",
        CLUSTERS,
        8,
        marker=Marker("circle", "sector:sector", ("industry", "name_en")),
        filters=ALL_FILTERS,
        search_entries="atlas.search:cluster_entries",
        search_rank=0,
        detail="atlas.drilldown:cluster_detail",
        partner=True,
        partner_docs="atlas.partners.index:cluster_docs",
        tour=True,
        brief=True,
    ),
    Kind(
        "cc",
        "City cluster",
        "city clusters",
        "city_clusters",
        CITY_CLUSTERS,
        6,
        filters=frozenset({"city_cluster"}),
        city_cluster_column="id",
        search_entries="atlas.search:city_cluster_entries",
        search_rank=2,
        detail="atlas.drilldown:city_cluster_detail",
        partner=True,
        partner_docs="atlas.partners.index:city_cluster_docs",
        tour=True,
        brief=True,
    ),
    Kind(
        "z",
        "Zone or park",
        "zones and parks",
        "zones",
        ZONES,
        8,
        marker=Marker("diamond", "sector:sectors", ("name_en", "city_en")),
        filters=ALL_FILTERS,
        sector_column="sectors",
        priority_column="priority_sectors",
        search_entries="atlas.search:zone_entries",
        search_rank=1,
        detail="atlas.drilldown:zone_detail",
        partner=True,
        partner_docs="atlas.partners.index:zone_docs",
        tour=True,
        brief=True,
    ),
    Kind(
        "ev",
        "Event or mission",
        "events and missions",
        "events",
        COOPERATION,
        7,
        marker=Marker("triangle", COOPERATION_COLOUR, ("title", "date_text", "city_en")),
        filters=ALL_FILTERS,
        sector_column="sectors",
        priority_column="priority_sectors",
        search_entries="atlas.search:event_entries",
        search_rank=4,
        detail="atlas.drilldown:event_detail",
        partner=True,
        partner_docs="atlas.partners.index:event_docs",
        tour=True,
    ),
    Kind(
        "org",
        "Organisation",
        "organisations",
        "organisations",
        COOPERATION,
        8,
        marker=Marker("triangle", "#6B7785", ("name", "city_en"), only=lambda r: r.get("category") == "eu_support"),
        filters=ALL_FILTERS,
        search_entries="atlas.search:organisation_entries",
        search_rank=3,
        detail="atlas.drilldown:organisation_detail",
        partner=True,
        partner_docs="atlas.partners.index:organisation_docs",
        tour=True,
    ),
    # Partnerships and projects have no place: chosen from search, their record opens in the panel.
    Kind(
        "esp",
        "ESCP-4i partnership",
        "ESCP-4i partnerships",
        "partnerships",
        None,
        5,
        on_map=False,
        search_entries="atlas.search:partnership_entries",
        search_rank=5,
        detail="atlas.drilldown:partnership_detail",
    ),
    Kind(
        "prj",
        "R&I project",
        "R&I projects",
        "projects",
        None,
        5,
        on_map=False,
        search_entries="atlas.search:project_entries",
        search_rank=6,
        detail="atlas.drilldown:project_detail",
    ),
    Kind(
        "pl",
        "City or county",
        "cities and counties",
        None,
        None,
        8,
        on_map=False,
        search_entries="atlas.search:seat_entries",
        search_rank=7,
        detail="atlas.drilldown:place_detail",
    ),
    Kind("up", "Your place", "your places", None, None, 8, on_map=False, searched=False),
):
    register(_kind)


# --- what follows from the registry ------------------------------------------------------------


def clickable() -> frozenset[str]:
    """Kinds a click on the map selects."""
    return frozenset(code for code, k in KINDS.items() if k.on_map)


def map_kinds() -> frozenset[str]:
    """Kinds the explorer can open from another page (its own dataset, on the map)."""
    return frozenset(code for code, k in KINDS.items() if k.on_map and k.dataset)


def layers() -> tuple[Layer, ...]:
    """The map's layers in the toggle's order: the kinds' (in registry order), then the others."""
    out: dict[str, Layer] = {}
    for k in KINDS.values():
        if k.layer is not None:
            out.setdefault(k.layer.code, k.layer)
    for layer in OTHER_LAYERS:
        out.setdefault(layer.code, layer)
    return tuple(out.values())


def layer_codes() -> tuple[str, ...]:
    return tuple(layer.code for layer in layers())


def default_layers() -> tuple[str, ...]:
    return tuple(layer.code for layer in layers() if layer.default_on)


def layer_labels() -> dict[str, str]:
    return {layer.code: layer.toggle for layer in layers()}


def kinds_of(layer: str) -> tuple[Kind, ...]:
    return tuple(k for k in KINDS.values() if k.layer is not None and k.layer.code == layer)


def searched() -> tuple[Kind, ...]:
    """Kinds search offers, in the order results of equal score are listed (``search_rank``)."""
    return tuple(sorted((k for k in KINDS.values() if k.searched), key=lambda k: k.search_rank))


def parse_key(key: str) -> tuple[Kind, str] | None:
    """ "ic:IC048" -> (the industrial-cluster kind, "IC048"); None for anything else."""
    code, sep, ident = str(key).partition(":")
    kind = KINDS.get(code)
    return (kind, ident) if kind and sep and ident else None


def key_of(code: str, ident: str) -> str:
    return f"{code}:{ident}"


def label(code: str) -> str:
    kind = KINDS.get(code)
    return kind.label if kind else "Place"


def select_zoom(key: str, default: int = 5) -> int:
    parsed = parse_key(key)
    return parsed[0].zoom if parsed else default


def dataset_keys(atlas, only: Callable[[Kind], bool] | None = None) -> set[str]:
    """Every selection key that the atlas's own datasets define ("ic:IC001", "cc:cc_prd", ...),
    of the kinds ``only`` keeps."""
    out: set[str] = set()
    for code, kind in KINDS.items():
        if kind.dataset and (only is None or only(kind)):
            out |= {key_of(code, i) for i in atlas.table(kind.dataset)["id"]}
    return out


def clickable_text() -> str:
    """'industrial cluster, zone or park, city cluster or …': what a click on the map opens."""
    names = [k.label.lower() for k in KINDS.values() if k.on_map]
    return ", ".join(names[:-1]) + (" or " if len(names) > 1 else "") + names[-1] if names else ""
