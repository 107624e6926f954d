"""The schema of every bundled data file: what a loader checks before anything is shown."""

from __future__ import annotations

import re

import pandas as pd

from atlas import nace
from atlas.validate import Column as C
from atlas.validate import Context, LayerSchema, Schema, coordinates_pair, points_in_china

LOCATION_METHODS = ("county_seat", "prefecture_seat", "province_seat", "cited", "gazetteer")
SOURCE = C("source", "source", required=True)
POINT = (
    C("adcode", "adcode"),
    C("location_method", choices=LOCATION_METHODS),
    C("lat", "lat"),
    C("lon", "lon"),
)


def _matches_mapping(df: pd.DataFrame, ctx: Context):
    """A cluster's sector, NACE and priority come from the one industry mapping table."""
    mapping = ctx.ids.get("industry_mapping", {})
    for i, rec in enumerate(df.to_dict("records"), start=1):
        expected = mapping.get(rec["industry"])
        if expected is None:
            yield i, "industry", f"{rec['industry']!r} is not in data/industry_sectors.csv"
            continue
        for fieldname in ("sector", "nace", "priority_sector"):
            if rec[fieldname] != expected[fieldname]:
                yield (
                    i,
                    fieldname,
                    (f"{rec[fieldname]!r} differs from data/industry_sectors.csv ({expected[fieldname]!r})"),
                )


def _ref(kind: str, fieldname: str, many: bool = False):
    """Values must be ids of another dataset (e.g. a member's cluster_id)."""

    def check(df: pd.DataFrame, ctx: Context):
        known = ctx.ids.get(kind, frozenset())
        for i, v in enumerate(df[fieldname], start=1):
            values = [x for x in str(v).split(";") if x] if many else ([v] if v else [])
            for x in values:
                if x not in known:
                    yield i, fieldname, f"{x!r} is not a known {kind} id"

    return check


SECTORS = Schema(
    "sectors.csv",
    (
        C("id", required=True),
        C("label", required=True),
        C("nace", required=True),
        C("priority_sector", "priority"),
        C(
            "colour",
            required=True,
            check=lambda v: None if str(v).startswith("#") and len(str(v)) == 7 else f"{v!r} is not a #RRGGBB colour",
        ),
        SOURCE,
    ),
)

PRIORITY_SECTORS = Schema(
    "priority_sectors.csv",
    (
        C("id", required=True),
        C("label", required=True),
        C("sectors", "sectors", required=True),
        SOURCE,
    ),
)

INDUSTRY_SECTORS = Schema(
    "industry_sectors.csv",
    (
        C("industry", required=True),
        C("product_en", required=True),
        C("sector", "sector", required=True),
        C("nace", required=True),
        C("priority_sector", "priority"),
        C("keywords"),
        SOURCE,
    ),
    id_column="industry",
)

INDUSTRIAL_CLUSTERS = Schema(
    "industrial_clusters.csv",
    (
        C("id", required=True),
        C("table_row", "int", required=True),
        C("province", required=True),
        C("province_count_printed", "int", required=True),
        C("place", required=True),
        C("place_printed_blank", "bool", required=True),
        C("industry", required=True),
        C("name_en", required=True),
        C("name_zh", required=True),
        C("province_zh", required=True),
        C("adcode", "adcode", required=True),
        C("adcode_2010"),
        C("admin_change"),
        C("town_en"),
        C("town_zh"),
        C("location_method", required=True, choices=LOCATION_METHODS),
        C("location_source"),
        C("lat", "lat", required=True),
        C("lon", "lon", required=True),
        C("sector", "sector", required=True),
        C("nace", required=True),
        C("priority_sector", "priority"),
        C("city_cluster"),
        C("correction_note"),
        SOURCE,
    ),
    extra=(_matches_mapping, _ref("city_cluster", "city_cluster", many=True), points_in_china),
)

CITY_CLUSTERS = Schema(
    "city_clusters.csv",
    (
        C("id", required=True),
        C("cluster_no", "int", required=True),
        C("name_en", required=True),
        C("name_zh", required=True),
        C("tier", required=True),
        C("tier_label", required=True),
        C("rank", "int", required=True),
        C("provinces", required=True),
        C("plan_name"),
        C("plan_year", "int"),
        C("verification", required=True, choices=("V", "P", "U")),
        C("description"),
        C("specialisations"),
        SOURCE,
    ),
)

CITY_CLUSTER_MEMBERS = Schema(
    "city_cluster_members.csv",
    (
        C("cluster_id", required=True),
        C("member_en", required=True),
        C("member_zh", required=True),
        C("unit_type", required=True, choices=("MUN", "PREF", "AUTPREF", "SAR", "PCL", "XPCC", "ZONE")),
        C("coverage", required=True),
        C("adcode", "adcode", required=True),
        C("verification", required=True, choices=("V", "P", "U")),
        SOURCE,
    ),
    id_column=None,
    extra=(_ref("city_cluster", "cluster_id"),),
)

EVENT_KINDS = ("matchmaking", "mission", "workshop", "conference", "fair", "delegation", "dialogue", "milestone")
# Where a place comes from: the document names it, a cited footnote's title names it, a public page gives it,
# the organisation's name gives it, or we inferred it (location_why says from what).
LOCATION_BASES = ("stated", "footnote_title", "cited_page", "name", "inferred")


def _basis_explained(df: pd.DataFrame, ctx: Context):
    """A located row says where its place comes from, and why when it is inferred."""
    for i, rec in enumerate(df.to_dict("records"), start=1):
        if rec["adcode"] and not rec["location_basis"]:
            yield i, "location_basis", "a located row must say where its place comes from"
        if rec["location_basis"] and not rec["location_why"]:
            yield i, "location_why", f"{rec['location_basis']!r} needs the passage, page or reasoning"


ZONES = Schema(
    "zones.csv",
    (
        C("id", required=True),
        C("name_en", required=True),
        C("kind", required=True),
        C("sectors", "sectors"),
        C("priority_sectors", "priority"),
        *POINT,
        C("year_established", "int"),
        C("location_basis", choices=LOCATION_BASES),
        C("location_why"),
        SOURCE,
    ),
    extra=(coordinates_pair, points_in_china, _basis_explained),
)

EVENTS = Schema(
    "cooperation/events.csv",
    (
        C("id", required=True),
        C("title", required=True),
        C("kind", required=True, choices=EVENT_KINDS),
        C("year", "int"),
        C("sectors", "sectors"),
        *POINT,
        C("location_basis", choices=LOCATION_BASES),
        C("location_why"),
        SOURCE,
    ),
    extra=(coordinates_pair, points_in_china, _basis_explained),
)

ORGANISATIONS = Schema(
    "cooperation/organisations.csv",
    (
        C("id", required=True),
        C("name", required=True),
        C("category", required=True),
        C("sector", "sectors"),
        C("priority_sector", "priority"),
        *POINT,
        C("location_basis", choices=LOCATION_BASES),
        C("location_why"),
        SOURCE,
    ),
    extra=(coordinates_pair, points_in_china, _basis_explained),
)

PARTNERSHIPS = Schema(
    "cooperation/partnerships.csv",
    (
        C("id", required=True),
        C("name", required=True),
        C("sector", "sectors"),
        C("priority_sector", "priority"),
        C("smes", "int"),
        C("partners", "int"),
        SOURCE,
    ),
)

PROJECTS = Schema(
    "cooperation/projects.csv",
    (
        C("id", required=True),
        C("acronym", required=True),
        C("start_year", "int"),
        C("end_year", "int"),
        C("sector", "sectors"),
        C("priority_sector", "priority"),
        SOURCE,
    ),
)


def _text(value) -> str | None:
    return None if isinstance(value, str) else f"{value!r} is not text"


def _identifier(value) -> str | None:
    if not isinstance(value, str) or not re.fullmatch(r"[a-z0-9_]+", value):
        return f"{value!r} is not an id (lower-case letters, digits and _)"
    return None


def _texts(value) -> str | None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return f"{str(value)[:60]!r} is not a list of texts"
    return None


def _mapping(value) -> str | None:
    return None if isinstance(value, dict) else f"{str(value)[:60]!r} is not a mapping (name: …, role: …)"


def _parties(value) -> str | None:
    """A story's partners: a list of mappings, each with a name."""
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        return f"{str(value)[:60]!r} is not a list of partners (each with name: …)"
    for n, party in enumerate(value, start=1):
        if not isinstance(party.get("name"), str) or not party["name"].strip():
            return f"partner {n} has no name"
    return None


def _story_places(df: pd.DataFrame, ctx: Context):
    """Each located partner's division code and method, as for every other point of the atlas."""
    for i, rec in enumerate(df.to_dict("records"), start=1):
        for fieldname in ("chinese_partners", "other_parties"):
            for n, party in enumerate(rec.get(fieldname) or [], start=1):
                code = party.get("adcode")
                if code is not None and (
                    not re.fullmatch(r"\d{6}", str(code)) or (ctx.adcodes and code not in ctx.adcodes)
                ):
                    yield i, fieldname, f"partner {n}: {code!r} is not a current division code in data/geo"
                method = party.get("location_method")
                if method is not None and method not in LOCATION_METHODS:
                    yield i, fieldname, f"partner {n}: {method!r} is not one of {', '.join(LOCATION_METHODS)}"


def _story_events(df: pd.DataFrame, ctx: Context):
    """Related events are events of cooperation/events.csv, each named once."""
    known = ctx.ids.get("event", frozenset())
    for i, events in enumerate(df.get("related_events", pd.Series(dtype=object)), start=1):
        events = events if isinstance(events, list) else []
        for e in events:
            if e not in known:
                yield i, "related_events", f"{e!r} is not a known event id"
        twice = sorted({e for e in events if events.count(e) > 1})
        if twice:
            yield i, "related_events", f"{', '.join(map(repr, twice))} named twice"


STORY_TEXTS = ("cooperation_type", "sector_text", "context", "objective", "policy_support", "years", "lessons", "note")
SUCCESS_STORIES = Schema(
    "cooperation/success_stories.yaml",
    (
        C("id", required=True, check=_identifier),
        C("title", required=True, check=_text),
        *(C(name, check=_text) for name in STORY_TEXTS),
        C("sector", "sector"),
        C("priority_sector", "priority"),
        C("eu_partners", check=_parties),
        C("chinese_partners", check=_parties),
        C("other_parties", check=_parties),
        C("activities", check=_texts),
        C("outcomes", check=_texts),
        C("related_events", check=_texts),
        C("contact", check=_mapping),
        SOURCE,
    ),
    extra=(_story_places, _story_events),
)

POLICY_LEVELS = ("national", "regional", "local", "cluster", "eu_china")
POLICY_KINDS = (
    "cluster_programme",
    "strategy",
    "plan",
    "sector_policy",
    "guideline",
    "regulation",
    "agreement",
    "dialogue",
)
POLICIES = Schema(
    "policies.yaml",
    (
        C("id", required=True),
        C("name_en", required=True),
        C("level", required=True, choices=POLICY_LEVELS),
        C("kind", required=True, choices=POLICY_KINDS),
        C("year_start", "int"),
        C("year_end", "int"),
        SOURCE,
    ),
)

POLICY_MATURITY = Schema(
    "policy_maturity.csv",
    (
        C("dimension", required=True),
        C("score", "float", required=True),
        C("max_score", "float", required=True),
        SOURCE,
    ),
    id_column="dimension",
)

SECTOR_FIGURES = Schema(
    "facts/sector_figures.csv",
    (
        C("id", required=True),
        C("priority_sector", "priority", required=True),
        C("metric", required=True),
        C("value_text", required=True),
        C("year", "int"),
        C("as_of", required=True),
        SOURCE,
    ),
)

COUNTRY_FACTS = Schema(
    "facts/country_facts.csv",
    (
        C("id", required=True),
        C("metric", required=True),
        C("value_text", required=True),
        C("as_of", required=True),
        SOURCE,
    ),
)

MIC2025 = Schema(
    "facts/mic2025_sectors.csv",
    (
        C("id", required=True),
        C("name_en", required=True),
        C("sectors", "sectors"),
        SOURCE,
    ),
)

SEI = Schema(
    "facts/strategic_emerging_industries.csv",
    (
        C("id", required=True),
        C("name_en", required=True),
        C("sectors", "sectors"),
        SOURCE,
    ),
)


# ---------------------------------------------------------------- workflow files and derived data


def _points_pair(df: pd.DataFrame, ctx: Context):
    """A seat's lat and lon come together (a unit without a seat has neither)."""
    for i, rec in enumerate(df.to_dict("records"), start=1):
        if bool(str(rec.get("lat", "")).strip()) != bool(str(rec.get("lon", "")).strip()):
            yield i, "lat", "latitude and longitude must be given together"


TALKING_POINTS = Schema(
    "talking_points.csv",
    (
        C("id", required=True),
        C("priority_sector", "priority"),
        C("sectors", "sectors"),
        C("text", required=True),
        SOURCE,
    ),
)

TOUR = Schema(
    "tour.yaml",
    (
        C("id", required=True),
        C("title", required=True),
        C("lat", "lat", required=True),
        C("lon", "lon", required=True),
        C("zoom", "int", required=True),
        C("caption", required=True),
    ),
)

DIVISION_SEATS = Schema(
    "geo/division_seats.csv",
    (
        C("adcode", "adcode", required=True),
        C("level", required=True, choices=("province", "prefecture", "county", "former_county")),
        C("name_zh", required=True),
        C("lon", "lon"),
        C("lat", "lat"),
    ),
    id_column="adcode",
    extra=(_points_pair, points_in_china),
)

_DIVISION = ("adcode", "level", "name_zh", "province_zh", "province_code")
LAYERS = {
    "province": LayerSchema("geo/provinces.geojson", _DIVISION, "adcode"),
    "prefecture": LayerSchema("geo/prefectures.geojson", _DIVISION, "adcode"),
    "county": LayerSchema("geo/counties.geojson", _DIVISION, "adcode"),
    "city_cluster": LayerSchema("geo/city_clusters.geojson", ("id", "name_en", "tier"), "id"),
}
STATIC_LAYERS = (  # the web outlines the browser fetches (built by geo.web)
    LayerSchema("static/geo/provinces.json", ("adcode", "name_zh"), "adcode"),
    LayerSchema("static/geo/city_clusters.json", ("kind", "id", "tier", "label"), "id"),
    LayerSchema("static/geo/places.json", ("adcode", "rank", "label"), "adcode", ("Point",)),
)
BOUNDARIES_META = (
    "geo/boundaries_meta.json",
    {"source_package": str, "source_version": str, "transform": str, "tolerance_degrees": dict, "decimals": int},
)

SOURCE_QUALITY = Schema(
    "source_quality.csv",
    (
        C("domain", required=True),
        C("standing", required=True),
        C("why", required=True),
        SOURCE,
    ),
    id_column="domain",
)

# Build input of geo.geolocate (the GeoNames places the town rows use); checked like every file.
GEONAMES_PLACES = Schema(
    "geo/geonames_places.csv",
    (
        C("geonames_id", "int", required=True),
        C("name", required=True),
        C("names_zh", required=True),
        C("lat", "lat", required=True),
        C("lon", "lon", required=True),
        C("admin1code"),
        C("population", "int"),
        C("source", required=True),  # the gazetteer and the package it ships in
        C("licence", required=True),
    ),
    id_column="geonames_id",
    extra=(points_in_china,),
)


# The partner finder's synonyms (atlas/partners/synonyms.py reads them).
def _nace_cell(value) -> str | None:
    bad = [c for c in str(value).split(";") if nace.code(c) is None]
    return f"not a NACE Rev. 2 code: {', '.join(bad)}" if bad else None


SYNONYMS = Schema(
    "synonyms.csv",
    (
        C("term", required=True),
        C("synonyms", required=True),
        C("sectors", "sectors", required=True),
        C("nace", check=_nace_cell),
        C("source", "source", required=True),
    ),
    id_column="term",
)
