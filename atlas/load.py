"""Load every bundled dataset, validated, into one Atlas (plain pandas / GeoPandas objects).

Every file under data/ is checked on load, and a problem raises DataFileError naming file, row and
field: the curated CSV and YAML files against their schemas (atlas/schemas.py) every time; the
derived files (data/geo/, static/geo/: built by geo/, never edited) are trusted when they match the
committed manifest (data/MANIFEST.json, atlas/manifest.py) and validated in full when they do not,
so the message says what is wrong with them. Last, every file is checked against the manifest,
which catches a truncation that still parses (a YAML list that lost its last records).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import geopandas as gpd
import pandas as pd
import yaml

from atlas import manifest as M
from atlas import schemas as S
from atlas.cache import SharedValues, per_atlas
from atlas.paths import DATA_DIR, STATIC_DIR
from atlas.taxonomy import Taxonomy, load_taxonomy
from atlas.validate import (
    Context,
    DataFileError,
    LayerSchema,
    Schema,
    check_structure,
    validate_frame,
    validate_geojson,
    validate_mapping,
    validate_records,
)
from geo.boundaries import china_outline, current_adcodes, load_layer


@dataclass(frozen=True)
class Atlas:
    taxonomy: Taxonomy
    industry_sectors: pd.DataFrame
    clusters: gpd.GeoDataFrame
    city_clusters: gpd.GeoDataFrame
    city_cluster_members: pd.DataFrame
    zones: gpd.GeoDataFrame
    policies: pd.DataFrame
    policy_maturity: pd.DataFrame
    partnerships: pd.DataFrame
    projects: pd.DataFrame
    events: gpd.GeoDataFrame
    organisations: gpd.GeoDataFrame
    success_stories: list[dict]
    sector_figures: pd.DataFrame
    country_facts: pd.DataFrame
    mic2025: pd.DataFrame
    strategic_emerging: pd.DataFrame
    # The tables of registered kinds that are none of the above (atlas/kinds.py), by dataset name.
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)

    def table(self, name: str) -> pd.DataFrame:
        """A dataset by name: one of the fields above or a registered kind's own table."""
        return self.tables[name] if name in self.tables else getattr(self, name)

    # What is computed from this Atlas for every session (atlas/cache.py): kept with it, so it
    # goes when the Atlas goes.
    shared: SharedValues = field(default_factory=SharedValues, init=False, repr=False, compare=False)

    def records(self, table: str) -> tuple[dict, ...]:
        """A table's rows as dicts, made once (drill-downs walk whole tables for every item they
        open); shared by every session, so read-only."""
        return self._indexed(table)[0]

    def record(self, table: str, ident: str) -> dict | None:
        """The row of ``table`` with this id, as a dict (read-only), or None."""
        return self._indexed(table)[1].get(ident)

    def _indexed(self, table: str) -> tuple[tuple[dict, ...], dict[str, dict]]:
        def build(a: Atlas) -> tuple[tuple[dict, ...], dict[str, dict]]:
            rows = tuple(a.table(table).to_dict("records"))
            return rows, {r["id"]: r for r in rows if "id" in r}

        return per_atlas(self, f"records.{table}", build)

    @cached_property
    def city_cluster_names(self) -> dict[str, str]:
        """City cluster id -> English name, in the plan's order (read once: lists and pickers
        ask for it on every run)."""
        cc = self.city_clusters.sort_values("rank")
        return dict(zip(cc["id"], cc["name_en"], strict=False))


def unclosed_quote(text: str) -> int | None:
    """The line (1-based) where a quoted cell opens that never closes, or None."""
    open_line, inside = None, False
    for n, line in enumerate(text.splitlines(), start=1):
        for _ in range(line.count('"')):
            inside = not inside
            if inside:
                open_line = n
    return open_line if inside else None


def read_csv(data_dir: Path, schema: Schema, shown: str | None = None) -> pd.DataFrame:
    """Read a CSV as text cells (no guessing of types), reporting unreadable files clearly."""
    path = data_dir / schema.file
    shown = shown or schema.file
    if not path.exists():
        raise DataFileError(shown, "file", "-", "file is missing")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DataFileError(shown, "file", "-", f"not UTF-8 text ({exc.reason})") from None
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error as exc:
        raise DataFileError(shown, "file", "-", f"not readable as CSV ({exc})") from None
    if not rows or not any(c.strip() for c in rows[0]):
        raise DataFileError(shown, "header", "-", "file is empty")
    opened = unclosed_quote(text)
    if opened:  # a quote left open swallows the rows after it into one cell
        raise DataFileError(shown, f"line {opened}", "-", "a quoted cell opened on this line is never closed")
    width = len(rows[0])
    for i, row in enumerate(rows[1:], start=1):
        if len(row) != width and any(cell.strip() for cell in row):
            raise DataFileError(shown, i, "-", f"has {len(row)} cells, the header has {width}")
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)


class StrictLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """PyYAML's safe loader (libyaml's when PyYAML has it: several times faster), except that a key
    given twice in one mapping is an error (the plain loader keeps the last one silently, so a
    pasted record would overwrite its neighbour's field)."""

    def construct_mapping(self, node, deep=False):
        seen: set = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def read_yaml(data_dir: Path, schema: Schema) -> list[dict]:
    path = data_dir / schema.file
    if not path.exists():
        raise DataFileError(schema.file, "file", "-", "file is missing")
    try:
        text = path.read_text(encoding="utf-8")
        records = yaml.load(text, Loader=StrictLoader)  # StrictLoader is a safe loader
    except UnicodeDecodeError as exc:
        raise DataFileError(schema.file, "file", "-", f"not UTF-8 text ({exc.reason})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "file"
        raise DataFileError(schema.file, where, "-", f"not valid YAML ({getattr(exc, 'problem', exc)})") from None
    if records is None:
        raise DataFileError(schema.file, "file", "-", "file is empty")
    return records


def read_json(path: Path, shown: str) -> object:
    """A JSON (GeoJSON) file, with the line of a syntax error (a truncated file ends mid-value)."""
    if not path.exists():
        raise DataFileError(shown, "file", "-", "file is missing")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DataFileError(shown, "file", "-", f"not UTF-8 text ({exc.reason})") from None
    if not text.strip():
        raise DataFileError(shown, "file", "-", "file is empty")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataFileError(shown, f"line {exc.lineno}", "-", f"not valid JSON ({exc.msg}; cut short?)") from None


def check_derived(data_dir: Path, geo_dir: Path, static_dir: Path, manifest: dict) -> None:
    """The built files: if one is not the committed version, say precisely what is wrong with it
    (file, feature or row, field), else that it differs from the manifest."""

    def layer(name: str, path: Path, schema: LayerSchema, section: str = "data") -> None:
        if M.differs(name, path, manifest, section):
            validate_geojson(read_json(path, schema.file), schema)
            M.check_file(name, path, manifest, section)

    for level in ("province", "prefecture", "county", "city_cluster"):
        schema = S.LAYERS[level]
        layer(schema.file, M.locate(schema.file, data_dir, geo_dir), schema)
    for schema in S.STATIC_LAYERS:
        name = schema.file[len("static/") :]
        layer(name, static_dir / name, schema, "static")
    meta_file, keys = S.BOUNDARIES_META
    meta = M.locate(meta_file, data_dir, geo_dir)
    if M.differs(meta_file, meta, manifest):
        validate_mapping(read_json(meta, meta_file), meta_file, keys)
        M.check_file(meta_file, meta, manifest)
    seats = M.locate(S.DIVISION_SEATS.file, data_dir, geo_dir)
    if M.differs(S.DIVISION_SEATS.file, seats, manifest):
        df = read_csv(seats.parent, Schema(seats.name, ()), shown=S.DIVISION_SEATS.file)
        validate_frame(df, S.DIVISION_SEATS, Context(china=china_outline(geo_dir)))
        M.check_file(S.DIVISION_SEATS.file, seats, manifest)
    places = M.locate(S.GEONAMES_PLACES.file, data_dir, geo_dir)
    if M.differs(S.GEONAMES_PLACES.file, places, manifest):
        df = read_csv(places.parent, Schema(places.name, ()), shown=S.GEONAMES_PLACES.file)
        validate_frame(df, S.GEONAMES_PLACES, Context(china=china_outline(geo_dir)))
        M.check_file(S.GEONAMES_PLACES.file, places, manifest)


def load_table(data_dir: Path, schema: Schema, ctx: Context) -> pd.DataFrame:
    df = read_csv(data_dir, schema)
    validate_frame(df, schema, ctx)
    return df


def to_numbers(df: pd.DataFrame, columns: tuple[str, ...], integer: bool = False) -> pd.DataFrame:
    df = df.copy()
    for col in columns:
        if col in df.columns:
            values = pd.to_numeric(df[col].replace("", None))
            df[col] = values.astype("Int64") if integer else values.astype(float)
    return df


def with_points(df: pd.DataFrame) -> gpd.GeoDataFrame:
    """Rows with lat/lon become points; rows without (e.g. events in Europe) keep no geometry."""
    df = to_numbers(df, ("lat", "lon"))
    geometry = gpd.points_from_xy(df["lon"], df["lat"])
    return gpd.GeoDataFrame(df, geometry=geometry, crs=4326)


def kind_tables(data_dir: Path, ctx: Context) -> dict[str, pd.DataFrame]:
    """The tables of registered kinds that have a schema of their own (atlas/kinds.py): checked
    against it, rows with lat/lon as points."""
    from atlas.kinds import KINDS

    out = {}
    for kind in KINDS.values():
        if kind.schema is not None and kind.dataset:
            df = load_table(data_dir, kind.schema, ctx)
            out[kind.dataset] = with_points(df) if {"lat", "lon"} <= set(df.columns) else df
    return out


def load_atlas(data_dir: Path = DATA_DIR, geo_dir: Path | None = None, static_dir: Path = STATIC_DIR) -> Atlas:
    """Everything the app shows, validated against data/ and the boundary layers (geo_dir: the
    data dir's geo/ unless given)."""
    geo_dir = geo_dir if geo_dir is not None else data_dir / "geo"
    manifest = M.read(data_dir)
    M.check_truncation(data_dir, geo_dir, static_dir, manifest)
    check_derived(data_dir, geo_dir, static_dir, manifest)
    ctx = Context(adcodes=current_adcodes(geo_dir), china=china_outline(geo_dir))
    sectors = read_csv(data_dir, S.SECTORS)
    priority = read_csv(data_dir, S.PRIORITY_SECTORS)
    check_structure(sectors, S.SECTORS)  # each names the other's ids: their own keys first
    check_structure(priority, S.PRIORITY_SECTORS)
    ctx.sectors = frozenset(sectors["id"])
    ctx.priority_sectors = frozenset(priority["id"])
    validate_frame(sectors, S.SECTORS, ctx)
    validate_frame(priority, S.PRIORITY_SECTORS, ctx)
    taxonomy = load_taxonomy(data_dir)

    city_clusters = to_numbers(
        load_table(data_dir, S.CITY_CLUSTERS, ctx), ("cluster_no", "rank", "plan_year"), integer=True
    )
    ctx.ids["city_cluster"] = frozenset(city_clusters["id"])
    members = load_table(data_dir, S.CITY_CLUSTER_MEMBERS, ctx)
    shapes = load_layer("city_cluster", geo_dir)[["id", "geometry"]]
    city_clusters = gpd.GeoDataFrame(city_clusters.merge(shapes, on="id", how="left"), crs=4326)

    industry = load_table(data_dir, S.INDUSTRY_SECTORS, ctx)
    ctx.ids["industry_mapping"] = industry.set_index("industry")[["sector", "nace", "priority_sector"]].to_dict("index")
    clusters = load_table(data_dir, S.INDUSTRIAL_CLUSTERS, ctx)
    clusters = with_points(to_numbers(clusters, ("table_row", "province_count_printed"), integer=True))

    zones = with_points(to_numbers(load_table(data_dir, S.ZONES, ctx), ("year_established",), integer=True))
    ctx.ids["zone"] = frozenset(zones["id"])

    policies = read_yaml(data_dir, S.POLICIES)
    validate_records(policies, S.POLICIES, ctx)
    events = with_points(to_numbers(load_table(data_dir, S.EVENTS, ctx), ("year",), integer=True))
    ctx.ids["event"] = frozenset(events["id"])  # what the success stories' related_events name
    success = read_yaml(data_dir, S.SUCCESS_STORIES)
    validate_records(success, S.SUCCESS_STORIES, ctx)
    validate_records(read_yaml(data_dir, S.TOUR), S.TOUR, ctx)
    load_table(data_dir, S.TALKING_POINTS, ctx)
    load_table(data_dir, S.SOURCE_QUALITY, ctx)
    load_table(data_dir, S.SYNONYMS, ctx)
    atlas = Atlas(
        tables=kind_tables(data_dir, ctx),
        taxonomy=taxonomy,
        industry_sectors=industry,
        clusters=clusters,
        city_clusters=city_clusters,
        city_cluster_members=members,
        zones=zones,
        policies=pd.DataFrame(policies),
        policy_maturity=to_numbers(load_table(data_dir, S.POLICY_MATURITY, ctx), ("score", "max_score")),
        partnerships=to_numbers(load_table(data_dir, S.PARTNERSHIPS, ctx), ("smes", "partners"), integer=True),
        projects=to_numbers(load_table(data_dir, S.PROJECTS, ctx), ("start_year", "end_year"), integer=True),
        events=events,
        organisations=with_points(load_table(data_dir, S.ORGANISATIONS, ctx)),
        success_stories=success,
        sector_figures=load_table(data_dir, S.SECTOR_FIGURES, ctx),
        country_facts=load_table(data_dir, S.COUNTRY_FACTS, ctx),
        mic2025=load_table(data_dir, S.MIC2025, ctx),
        strategic_emerging=load_table(data_dir, S.SEI, ctx),
    )
    M.check(data_dir, geo_dir, static_dir, manifest)  # truncations that still parse
    return atlas
