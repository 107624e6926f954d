"""The kinds of place the atlas can select: one registry, so that the URL, the map, the panel,
search and exports all agree on what can be clicked and how it is named.

Adding a clickable kind takes its dataset (a loader line in atlas/load.py and a schema in
atlas/schemas.py), a detail builder in atlas/drilldown.py and one entry here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    """One kind of selectable place.

    ``dataset``: the Atlas attribute holding its records (None: not a dataset of ours, e.g. a city
    or county from the division seats, or a row of the user's own upload); ``layer``: the map layer
    that draws it (None: never drawn as its own marker); ``zoom``: the zoom a selection from
    outside the map pans to; ``on_map``: a click on its marker or area selects it.
    """

    code: str
    label: str
    plural: str
    dataset: str | None
    layer: str | None
    zoom: int
    on_map: bool = True


KINDS: dict[str, Kind] = {
    k.code: k
    for k in (
        Kind("ic", "Industrial cluster", "industrial clusters", "clusters", "clusters", 8),
        Kind("cc", "City cluster", "city clusters", "city_clusters", "city_clusters", 6),
        Kind("z", "Zone or park", "zones and parks", "zones", "zones", 8),
        Kind("ev", "Event or mission", "events and missions", "events", "cooperation", 7),
        Kind("org", "Organisation", "organisations", "organisations", "cooperation", 8),
        # Partnerships and projects have no place: chosen from search, their record opens in the panel.
        Kind("esp", "ESCP-4i partnership", "ESCP-4i partnerships", "partnerships", None, 5, on_map=False),
        Kind("prj", "R&I project", "R&I projects", "projects", None, 5, on_map=False),
        Kind("pl", "City or county", "cities and counties", None, None, 8, on_map=False),
        Kind("up", "Your place", "your places", None, None, 8, on_map=False),
    )
}
CLICKABLE = frozenset(code for code, k in KINDS.items() if k.on_map)


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


def dataset_keys(atlas) -> set[str]:
    """Every selection key that the atlas's own datasets define ("ic:IC001", "cc:cc_prd", ...)."""
    out: set[str] = set()
    for code, kind in KINDS.items():
        if kind.dataset:
            out |= {key_of(code, i) for i in getattr(atlas, kind.dataset)["id"]}
    return out
