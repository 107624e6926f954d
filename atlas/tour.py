"""The presenter tour: steps read from data/tour.yaml, checked against the data, turned into map
views; and the "ready to present" check that the map assets, data and boundaries are all there.

Pure functions (no Streamlit): the tour page, its tests and a presenter's dry run share them.
"""

from __future__ import annotations

import string
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from atlas import kinds
from atlas.filters import Filtered
from atlas.load import Atlas, load_atlas
from atlas.page_params import Param
from atlas.paths import DATA_DIR, GEO_DIR, SEED_FILES
from atlas.state import ViewState
from atlas.validate import DataFileError
from geo.boundaries import LAYER_FILES, load_seats
from geo.framing import fit, union
from geo.web import drop_specks

TOUR_FILE = DATA_DIR / "tour.yaml"
PANELS = ("legend", "detail", "policies", "cooperation")
FILTERS = {"sector": "sectors", "priority": "priority", "province": "provinces", "cc": "city_clusters"}
# The {placeholders} a caption may use, and the layer each counts on (its own name unless said).
COUNTS = ("clusters", "zones", "city_clusters", "cooperation", "event_stops", "offices")
LAYER_OF = {"event_stops": "cooperation", "offices": "cooperation"}
STEP_FIELDS = {"id", "title", "lat", "lon", "zoom", "layers", "sel", "filters", "caption", "source", "panel", "frame"}
SHOWN = "shown"  # in a step's frame: every place its map shows
# The smallest map the tour frames for: the tour's map at 1280×720 with the sidebar folded
# (components/tour_views.py MAP_HEIGHT); a larger screen shows the same places with more around them.
FRAME_PX = (620, 440)
BOUNDARY_FILES = (*LAYER_FILES.values(), "division_seats.csv")
MIN_STEPS, MAX_STEPS = 6, 8
TOUR_TITLE = "China's cluster landscape, for European cluster organisations"


class TourError(ValueError):
    """The tour file cannot be read; the message names the step and field."""


@dataclass(frozen=True)
class Step:
    id: str
    title: str
    lat: float
    lon: float
    zoom: int
    layers: tuple[str, ...]
    caption: str
    source: str
    sel: str = ""
    filters: dict = field(default_factory=dict)  # URL-style keys: sector, priority, province, cc
    panel: str = ""
    frame: tuple[str, ...] = ()  # what the map is framed to: "shown" and/or selection keys


@dataclass(frozen=True)
class Tour:
    title: str
    steps: tuple[Step, ...]


def load_tour(path: Path = TOUR_FILE) -> Tour:
    """Parse the YAML list of steps; a missing or malformed file raises TourError saying where.
    (A list of records with a `source` each, like every other data file.)"""
    if not path.exists():
        raise TourError(f"{path.name} is missing")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise TourError(f"{path.name} is not valid YAML ({exc})") from None
    if not isinstance(raw, list):
        raise TourError(f"{path.name} should be a list of steps")
    steps = []
    for n, s in enumerate(raw, 1):
        if not isinstance(s, dict):
            raise TourError(f"step {n} is not a mapping")
        unknown = set(s) - STEP_FIELDS
        if unknown:
            raise TourError(f"step {n} has unknown field(s) {', '.join(sorted(unknown))}")
        try:
            steps.append(
                Step(
                    id=str(s["id"]),
                    title=str(s["title"]),
                    lat=float(s["lat"]),
                    lon=float(s["lon"]),
                    zoom=int(s["zoom"]),
                    layers=tuple(s.get("layers") or ()),
                    caption=str(s["caption"]).strip(),
                    source=str(s.get("source") or "").strip(),
                    sel=str(s.get("sel") or ""),
                    filters={
                        k: tuple(v) if isinstance(v, (list, tuple)) else (str(v),)
                        for k, v in (s.get("filters") or {}).items()
                    },
                    panel=str(s.get("panel") or ""),
                    frame=tuple(str(f) for f in s.get("frame") or ()),
                )
            )
        except KeyError as exc:
            raise TourError(f"step {n} lacks `{exc.args[0]}`") from None
        except (TypeError, ValueError) as exc:
            raise TourError(f"step {n}: {exc}") from None
    return Tour(TOUR_TITLE, tuple(steps))


def selectable(atlas: Atlas) -> set[str]:
    """What a step may select: the records of the kinds the tour can take (atlas/kinds.py)."""
    return kinds.dataset_keys(atlas, lambda k: k.tour)


def _names_a_source(source: str) -> bool:
    """Each part is a seed section, the reference sheet or a public page (title + URL)."""
    parts = [p.strip() for p in source.split(" | ") if p.strip()]
    return bool(parts) and all(
        any(p.startswith(f) for f in SEED_FILES) or p.startswith("shared/reference/") or "http" in p for p in parts
    )


def validate_tour(tour: Tour, atlas: Atlas) -> list[str]:
    """Every problem a presenter would hit: unknown selections, layers, filters, panels or
    placeholders, impossible views, captions without a source."""
    problems = []
    if not MIN_STEPS <= len(tour.steps) <= MAX_STEPS:
        problems.append(f"the tour has {len(tour.steps)} steps; it should have {MIN_STEPS} to {MAX_STEPS}")
    known = selectable(atlas)
    seats = load_seats()
    allowed = {
        "sector": set(atlas.taxonomy.order),
        "priority": set(atlas.taxonomy.priority.index),
        "province": set(seats.loc[seats["level"] == "province", "adcode"]),
        "cc": set(atlas.city_clusters["id"]),
    }
    ids = [s.id for s in tour.steps]
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        problems.append(f"step id {dup} is used twice")
    for n, s in enumerate(tour.steps, 1):
        where = f"step {n} ({s.id})"
        if s.sel and s.sel not in known:
            problems.append(f"{where}: nothing to select called {s.sel}")
        bad = [l for l in s.layers if l not in kinds.layer_codes()]
        if bad or not s.layers:
            problems.append(f"{where}: layers must be some of {', '.join(kinds.layer_codes())} (got {list(s.layers)})")
        for key, values in s.filters.items():
            if key not in FILTERS:
                problems.append(f"{where}: unknown filter {key}")
            elif set(values) - allowed[key]:
                problems.append(f"{where}: unknown {key} {', '.join(sorted(set(values) - allowed[key]))}")
        if not (15 <= s.lat <= 55 and 70 <= s.lon <= 140 and 3 <= s.zoom <= 12):
            problems.append(f"{where}: the view {s.lat}, {s.lon} at zoom {s.zoom} is not over China")
        unknown_frame = [f for f in s.frame if f != SHOWN and f not in known]
        if unknown_frame:
            problems.append(
                f"{where}: the frame names nothing called {', '.join(unknown_frame)} (use {SHOWN} or a selection)"
            )
        if s.panel and s.panel not in PANELS:
            problems.append(f"{where}: unknown panel {s.panel} (use one of {', '.join(PANELS)})")
        if s.panel == "detail" and not s.sel:
            problems.append(f"{where}: a detail panel needs a selection")
        if not s.caption or not s.title:
            problems.append(f"{where}: needs a title and a caption")
        if not _names_a_source(s.source):
            problems.append(f"{where}: the caption needs a source (a seed section, the reference sheet or a URL)")
        fields = {f for _, f, _, _ in string.Formatter().parse(s.caption) if f is not None}
        if fields - set(COUNTS):
            problems.append(f"{where}: unknown placeholder(s) {', '.join(sorted(fields - set(COUNTS)))}")
    return problems


def step_view(step: Step) -> ViewState:
    """The map view of a step: position, layers, filters and highlighted selection."""
    filters = {FILTERS[k]: tuple(v) for k, v in step.filters.items() if k in FILTERS}
    return ViewState(
        layers=tuple(l for l in kinds.layer_codes() if l in step.layers),
        sel=step.sel,
        lat=step.lat,
        lon=step.lon,
        zoom=step.zoom,
        **filters,
    )


def step_counts(filtered: Filtered, view: ViewState) -> dict[str, int]:
    """What the step's map shows, per kind (hidden layers count 0): the caption's numbers.
    ``event_stops`` and ``offices`` split ``cooperation`` as the cooperation panel counts them."""
    orgs = filtered.organisations
    offices = int((orgs["category"] == "eu_support").sum())
    shown = {**filtered.layer_counts(), "event_stops": len(filtered.events), "offices": offices}
    return {k: (v if LAYER_OF.get(k, k) in view.layers else 0) for k, v in shown.items()}


def shown_places(filtered: Filtered, view: ViewState) -> list[tuple[str, tuple]]:
    """Every place the step's map shows, as (selection key, box): points of the shown layers and,
    when the step picks city clusters, their outlines (as step_counts counts them)."""
    places = [
        (f"{k.code}:{r['id']}", (r["lon"], r["lat"], r["lon"], r["lat"]))
        for code in view.layers
        for k in kinds.kinds_of(code)
        if k.marker is not None and k.dataset in filtered.tables
        for r in filtered.table(k.dataset).to_dict("records")
        if k.marker.shows(r)
    ]
    if "city_clusters" in view.layers and view.city_clusters:
        places += [(f"cc:{i}", drop_specks(g).bounds) for i, g in filtered.city_clusters[["id", "geometry"]].values]
    return places


def frame_places(step: Step, atlas: Atlas, filtered: Filtered, view: ViewState) -> list[tuple[str, tuple]]:
    """The places a step is framed to, each as (selection key, box west-south-east-north)."""
    places = shown_places(filtered, view) if SHOWN in step.frame else []
    for key in step.frame:
        if key == SHOWN:
            continue
        kind, _, ident = key.partition(":")
        if kind == "cc":
            geom = atlas.city_clusters.set_index("id").loc[ident, "geometry"]
            places.append((key, drop_specks(geom).bounds))
        else:
            r = atlas.table(kinds.KINDS[kind].dataset).set_index("id").loc[ident]
            if r["lat"] == r["lat"]:
                places.append((key, (r["lon"], r["lat"], r["lon"], r["lat"])))
    return places


def framed(step: Step, view: ViewState, places: list[tuple[str, tuple]]) -> ViewState:
    """The step's view framed to its places (FRAME_PX); a step without a frame keeps its own
    lat, lon and zoom."""
    if not places:
        return view
    lat, lon, zoom = fit(union(box for _, box in places), *FRAME_PX)
    return replace(view, lat=round(lat, 4), lon=round(lon, 4), zoom=zoom)


def caption_text(step: Step, counts: dict[str, int]) -> str:
    """The caption with its {placeholders} filled with what the map shows (formatted 1,234)."""
    return step.caption.format(**{k: f"{v:,}" for k, v in counts.items()})


def step_param(total: int) -> Param:
    """The tour's one address parameter: ?step=3 (1-based)."""
    return Param("step", "int", "step", lo=1, hi=total)


def step_number(values: dict, total: int) -> int:
    """The step the parsed address names (components/page_state.read), else step 1."""
    n = values.get("step")
    return n if isinstance(n, int) and 1 <= n <= total else 1


# ---------------------------------------------------------------- ready to present


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def readiness(
    missing_assets: list[str],
    data_dir: Path = DATA_DIR,
    geo_dir: Path = GEO_DIR,
    tour_path: Path = TOUR_FILE,
    load: Callable[[Path, Path], Atlas] = load_atlas,
) -> list[Check]:
    """Offline checks before presenting: local map assets, boundaries, data, and the tour itself.
    Each says plainly what is missing or broken."""
    checks = [
        Check(
            "Map assets (Leaflet, served by the app)",
            not missing_assets,
            "all present" if not missing_assets else "missing: " + ", ".join(missing_assets),
        )
    ]
    missing_geo = [f for f in BOUNDARY_FILES if not (geo_dir / f).exists()]
    checks.append(
        Check(
            "Boundaries (data/geo)",
            not missing_geo,
            f"{len(BOUNDARY_FILES)} files present"
            if not missing_geo
            else "missing: " + ", ".join(str(geo_dir / f) for f in missing_geo),
        )
    )
    atlas = None
    if missing_geo:
        checks.append(Check("Data (data/)", False, "not checked: the data are checked against the boundaries"))
    else:
        try:
            atlas = load(data_dir, geo_dir)
            checks.append(
                Check(
                    "Data (data/)",
                    True,
                    f"loaded and valid: {len(atlas.clusters)} clusters, "
                    f"{len(atlas.zones)} zones, {len(atlas.city_clusters)} city clusters, "
                    f"{len(atlas.policies)} policies",
                )
            )
        except DataFileError as exc:
            checks.append(Check("Data (data/)", False, str(exc)))
        except Exception as exc:  # a presenter needs the reason, not a traceback
            checks.append(Check("Data (data/)", False, f"could not be loaded: {type(exc).__name__}: {exc}"))
    try:
        problems = validate_tour(load_tour(tour_path), atlas) if atlas is not None else ["not checked without data"]
    except TourError as exc:
        problems = [str(exc)]
    checks.append(Check(f"Tour ({tour_path.name})", not problems, "; ".join(problems) or "all steps valid"))
    return checks
