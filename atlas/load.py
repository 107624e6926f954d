"""Load every bundled dataset, validated, into one Atlas (plain pandas / GeoPandas objects)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import yaml

from atlas import schemas as S
from atlas.paths import DATA_DIR, GEO_DIR
from atlas.taxonomy import Taxonomy, load_taxonomy
from atlas.validate import Context, DataFileError, Schema, validate_frame, validate_records
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


def read_csv(data_dir: Path, schema: Schema) -> pd.DataFrame:
    """Read a CSV as text cells (no guessing of types), reporting unreadable files clearly."""
    path = data_dir / schema.file
    if not path.exists():
        raise DataFileError(schema.file, "file", "-", "file is missing")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DataFileError(schema.file, "file", "-", f"not UTF-8 text ({exc.reason})") from None
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise DataFileError(schema.file, "header", "-", "file is empty")
    width = len(rows[0])
    for i, row in enumerate(rows[1:], start=1):
        if len(row) != width and any(cell.strip() for cell in row):
            raise DataFileError(schema.file, i, "-", f"has {len(row)} cells, the header has {width}")
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)


def read_yaml(data_dir: Path, schema: Schema) -> list[dict]:
    path = data_dir / schema.file
    if not path.exists():
        raise DataFileError(schema.file, "file", "-", "file is missing")
    try:
        records = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "file"
        raise DataFileError(schema.file, where, "-", f"not valid YAML ({getattr(exc, 'problem', exc)})") from None
    return records


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


def load_atlas(data_dir: Path = DATA_DIR, geo_dir: Path = GEO_DIR) -> Atlas:
    """Everything the app shows, validated against data/ and the boundary layers."""
    ctx = Context(adcodes=current_adcodes(geo_dir), china=china_outline(geo_dir))
    sectors = read_csv(data_dir, S.SECTORS)
    priority = read_csv(data_dir, S.PRIORITY_SECTORS)
    ctx.sectors = frozenset(sectors["id"])
    ctx.priority_sectors = frozenset(priority["id"])
    validate_frame(sectors, S.SECTORS, ctx)
    validate_frame(priority, S.PRIORITY_SECTORS, ctx)
    taxonomy = load_taxonomy(data_dir)

    city_clusters = to_numbers(load_table(data_dir, S.CITY_CLUSTERS, ctx),
                               ("cluster_no", "rank", "plan_year"), integer=True)
    ctx.ids["city_cluster"] = frozenset(city_clusters["id"])
    members = load_table(data_dir, S.CITY_CLUSTER_MEMBERS, ctx)
    shapes = load_layer("city_cluster", geo_dir)[["id", "geometry"]]
    city_clusters = gpd.GeoDataFrame(city_clusters.merge(shapes, on="id", how="left"), crs=4326)

    industry = load_table(data_dir, S.INDUSTRY_SECTORS, ctx)
    ctx.ids["industry_mapping"] = industry.set_index("industry")[
        ["sector", "nace", "priority_sector"]].to_dict("index")
    clusters = load_table(data_dir, S.INDUSTRIAL_CLUSTERS, ctx)
    clusters = with_points(to_numbers(clusters, ("table_row", "province_count_printed"), integer=True))

    zones = with_points(to_numbers(load_table(data_dir, S.ZONES, ctx), ("year_established",), integer=True))
    ctx.ids["zone"] = frozenset(zones["id"])

    policies = read_yaml(data_dir, S.POLICIES)
    validate_records(policies, S.POLICIES, ctx)
    success = read_yaml(data_dir, S.SUCCESS_STORIES)
    validate_records(success, S.SUCCESS_STORIES, ctx)

    return Atlas(
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
        events=with_points(to_numbers(load_table(data_dir, S.EVENTS, ctx), ("year",), integer=True)),
        organisations=with_points(load_table(data_dir, S.ORGANISATIONS, ctx)),
        success_stories=success,
        sector_figures=load_table(data_dir, S.SECTOR_FIGURES, ctx),
        country_facts=load_table(data_dir, S.COUNTRY_FACTS, ctx),
        mic2025=load_table(data_dir, S.MIC2025, ctx),
        strategic_emerging=load_table(data_dir, S.SEI, ctx),
    )
