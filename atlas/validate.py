"""Schema checks run on every load, so a broken data file fails loudly and precisely.

Each check names the file, the record (1-based, as a person counts the rows under the
header) and the field, because the person fixing a CSV needs exactly that.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import pandas as pd

# China's extent (incl. islands) in WGS84; a point outside is a typo or a swapped pair.
CHINA_BBOX = (73.4, 3.3, 135.1, 53.6)

SEED_RE = re.compile(r"00[0-4]_[0-9a-f]{16}\.txt")
# A source must name a seed, the shared reference sheet, or a public page/standard.
SOURCE_RE = re.compile(r"00[0-4]_[0-9a-f]{16}\.txt|shared/reference/|https?://|NACE Rev\. 2|Eurostat")


class DataFileError(ValueError):
    """A data file does not match its schema."""

    def __init__(self, file: str, row: int | str, fieldname: str, message: str):
        self.file, self.row, self.field, self.problem = file, row, fieldname, message
        where = f"row {row}" if isinstance(row, int) else str(row)
        parts = [file] + ([where] if where not in ("file", "-", "") else [])
        parts += [f"field '{fieldname}'"] if fieldname not in ("-", "") else []
        super().__init__(f"{', '.join(parts)}: {message}")


@dataclass(frozen=True)
class Column:
    name: str
    kind: str = "str"  # str | int | float | bool | lat | lon | adcode | sectors | sector | id
    required: bool = False  # a value must be present in every row
    choices: tuple[str, ...] | None = None
    check: Callable[[object], str | None] | None = None  # returns an error text or None


@dataclass(frozen=True)
class Schema:
    file: str
    columns: tuple[Column, ...]
    id_column: str | None = "id"
    extra: tuple[Callable[[pd.DataFrame, Context], Iterable[tuple[int, str, str]]], ...] = ()


@dataclass
class Context:
    """What values must be checked against (current codes, taxonomy ids ...)."""

    adcodes: frozenset[str] = frozenset()
    sectors: frozenset[str] = frozenset()
    priority_sectors: frozenset[str] = frozenset()
    ids: dict[str, frozenset[str]] = field(default_factory=dict)
    china: object | None = None  # prepared shapely geometry of China's outline, if available


def _is_blank(v) -> bool:
    return v is None or (isinstance(v, float) and pd.isna(v)) or (isinstance(v, str) and not v.strip())


def _check_value(col: Column, value, ctx: Context) -> str | None:
    if col.kind in ("int", "float", "lat", "lon"):
        try:
            num = float(value)
        except (TypeError, ValueError):
            return f"{value!r} is not a number"
        if col.kind == "int" and not num.is_integer():
            return f"{value!r} is not a whole number"
        if col.kind == "lon" and not CHINA_BBOX[0] <= num <= CHINA_BBOX[2]:
            return f"longitude {num} is outside China"
        if col.kind == "lat" and not CHINA_BBOX[1] <= num <= CHINA_BBOX[3]:
            return f"latitude {num} is outside China"
    elif col.kind == "bool":
        if str(value).lower() not in ("true", "false"):
            return f"{value!r} is not true or false"
    elif col.kind == "adcode":
        code = str(value)
        if not re.fullmatch(r"\d{6}", code):
            return f"{value!r} is not a 6-digit division code"
        if ctx.adcodes and code not in ctx.adcodes:
            return f"{code} is not a current division code in data/geo"
    elif col.kind in ("sector", "sectors"):
        values = str(value).split(";") if col.kind == "sectors" else [str(value)]
        bad = [v for v in values if v not in ctx.sectors]
        if bad:
            return f"unknown sector {', '.join(bad)} (see data/sectors.csv)"
    elif col.kind == "priority":
        bad = [v for v in str(value).split(";") if v not in ctx.priority_sectors]
        if bad:
            return f"unknown priority sector {', '.join(bad)}"
    elif col.kind == "source":
        if not SOURCE_RE.search(str(value)):
            return f"{value!r} names neither a seed document nor a public source"
    if col.choices and str(value) not in col.choices:
        return f"{value!r} is not one of {', '.join(col.choices)}"
    if col.check:
        return col.check(value)
    return None


def check_structure(df: pd.DataFrame, schema: Schema) -> None:
    """The columns and the keys (present, unique): what other files' checks rely on."""
    for col in schema.columns:
        if col.name not in df.columns:
            raise DataFileError(schema.file, "header", col.name, "column is missing")
    if schema.id_column:
        seen: dict[str, int] = {}
        for i, v in enumerate(df[schema.id_column], start=1):
            if _is_blank(v):
                raise DataFileError(schema.file, i, schema.id_column, "id is empty")
            if v in seen:
                raise DataFileError(schema.file, i, schema.id_column, f"duplicate id {v!r} (also row {seen[v]})")
            seen[v] = i


def validate_frame(df: pd.DataFrame, schema: Schema, ctx: Context) -> None:
    """Raise DataFileError on the first problem found, reading row by row."""
    check_structure(df, schema)
    records = df.to_dict("records")
    for i, rec in enumerate(records, start=1):
        for col in schema.columns:
            value = rec.get(col.name)
            if _is_blank(value):
                if col.required:
                    raise DataFileError(schema.file, i, col.name, "value is missing")
                continue
            problem = _check_value(col, value, ctx)
            if problem:
                raise DataFileError(schema.file, i, col.name, problem)
    for extra in schema.extra:
        for row, fieldname, problem in extra(df, ctx):
            raise DataFileError(schema.file, row, fieldname, problem)


def validate_records(records: list[dict], schema: Schema, ctx: Context) -> None:
    """The same checks for YAML lists of mappings."""
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise DataFileError(schema.file, "top level", "-", "expected a list of mappings")
    validate_frame(pd.DataFrame(records), schema, ctx)


def coordinates_pair(df: pd.DataFrame, ctx: Context):
    """lat and lon come together, and only where a point is meant to be."""
    for i, rec in enumerate(df.to_dict("records"), start=1):
        lat_blank, lon_blank = _is_blank(rec.get("lat")), _is_blank(rec.get("lon"))
        if lat_blank != lon_blank:
            yield i, "lat" if lat_blank else "lon", "latitude and longitude must be given together"
        if lat_blank and not _is_blank(rec.get("adcode")):
            yield i, "lat", "has a place (adcode) but no point: run python -m geo.geolocate"


def points_in_china(df: pd.DataFrame, ctx: Context):
    """A point must fall on China's territory (outline of the province layer, ≈2 km margin)."""
    if ctx.china is None:
        return
    from shapely.geometry import Point

    for i, rec in enumerate(df.to_dict("records"), start=1):
        if _is_blank(rec.get("lat")) or _is_blank(rec.get("lon")):
            continue
        try:
            pt = Point(float(rec["lon"]), float(rec["lat"]))
        except (TypeError, ValueError):
            continue  # reported by the column check
        if not ctx.china.contains(pt):
            yield i, "lon", f"point ({rec['lat']}, {rec['lon']}) is outside China"


# ---------------------------------------------------------------- GeoJSON and JSON files


@dataclass(frozen=True)
class LayerSchema:
    """A FeatureCollection of polygons: the properties every feature carries, and its key."""

    file: str  # as shown to the reader, e.g. "geo/provinces.geojson"
    properties: tuple[str, ...]
    id_property: str
    geometry: tuple[str, ...] = ("Polygon", "MultiPolygon")


def _rings(coords, depth: int):
    """The position arrays (rings) of a Polygon (depth 1) or MultiPolygon (depth 2)."""
    if not isinstance(coords, list) or not coords:
        raise ValueError("no coordinates")
    if depth == 0:
        return [coords]
    return [ring for part in coords for ring in _rings(part, depth - 1)]


def _bounds(geometry: dict) -> tuple[float, float, float, float]:
    """(lon min, lat min, lon max, lat max) of a polygon's positions; ValueError if any is not a
    [lon, lat] pair of numbers."""
    import numpy as np

    if geometry["type"] == "Point":  # map labels: one [lon, lat] position
        pos = geometry.get("coordinates")
        if (
            not isinstance(pos, list)
            or len(pos) != 2
            or any(isinstance(v, bool) or not isinstance(v, (int, float)) or not np.isfinite(v) for v in pos)
        ):
            raise ValueError("not a [lon, lat] position")
        return pos[0], pos[1], pos[0], pos[1]
    rings = _rings(geometry.get("coordinates"), 1 if geometry["type"] == "Polygon" else 2)
    lo, hi = [np.inf, np.inf], [-np.inf, -np.inf]
    for ring in rings:
        if any(isinstance(v, bool) or not isinstance(v, (int, float)) for pos in ring[:1] for v in pos):
            raise ValueError("not numbers")
        arr = np.asarray(ring, dtype=float)
        if arr.ndim != 2 or arr.shape[1] < 2 or len(arr) < 4 or not np.isfinite(arr).all():
            raise ValueError("not a ring of [lon, lat] positions")
        lo, hi = np.minimum(lo, arr[:, :2].min(axis=0)), np.maximum(hi, arr[:, :2].max(axis=0))
    return float(lo[0]), float(lo[1]), float(hi[0]), float(hi[1])


def validate_geojson(data: object, schema: LayerSchema) -> None:
    """A parsed GeoJSON file: features numbered from 1, named by the key property where it has one."""
    if (
        not isinstance(data, dict)
        or data.get("type") != "FeatureCollection"
        or not isinstance(data.get("features"), list)
    ):
        raise DataFileError(schema.file, "top level", "type", "expected a GeoJSON FeatureCollection")
    if not data["features"]:
        raise DataFileError(schema.file, "top level", "features", "has no features")
    seen: dict[str, int] = {}
    lon0, lat0, lon1, lat1 = CHINA_BBOX
    for i, feature in enumerate(data["features"], start=1):
        where = f"feature {i}"
        props = feature.get("properties") if isinstance(feature, dict) else None
        if not isinstance(props, dict):
            raise DataFileError(schema.file, where, "properties", "feature without properties")
        for name in schema.properties:
            if _is_blank(props.get(name)):
                raise DataFileError(schema.file, where, name, "value is missing")
        key = str(props[schema.id_property])
        if key in seen:
            raise DataFileError(schema.file, where, schema.id_property, f"duplicate {key!r} (also feature {seen[key]})")
        seen[key] = i
        geometry = feature.get("geometry")
        if not isinstance(geometry, dict) or geometry.get("type") not in schema.geometry:
            raise DataFileError(schema.file, where, "geometry", f"expected {' or '.join(schema.geometry)}")
        try:
            x0, y0, x1, y1 = _bounds(geometry)
        except (ValueError, TypeError):
            raise DataFileError(
                schema.file, where, "geometry", "coordinates are not rings of [lon, lat] numbers"
            ) from None
        if x0 < lon0 or x1 > lon1 or y0 < lat0 or y1 > lat1:
            raise DataFileError(
                schema.file,
                where,
                "geometry",
                f"reaches ({y0:.2f}, {x0:.2f}) – ({y1:.2f}, {x1:.2f}) (lat, lon), outside China",
            )


def validate_mapping(data: object, file: str, required: dict[str, type]) -> None:
    """A JSON object with these keys, each of this type (e.g. boundaries_meta.json)."""
    if not isinstance(data, dict):
        raise DataFileError(file, "top level", "-", "expected a JSON object")
    for key, kind in required.items():
        if key not in data:
            raise DataFileError(file, "top level", key, "key is missing")
        if not isinstance(data[key], kind) or isinstance(data[key], bool):
            raise DataFileError(file, "top level", key, f"{data[key]!r} is not a {kind.__name__}")
