"""Map frames: the view (centre and whole zoom level) at which a Leaflet map of a given size shows
a box of places, worked out in Web Mercator as Leaflet draws it. The tour frames each step to the
places its caption names with it (atlas/tour.py)."""

from __future__ import annotations

import math

TILE = 256  # px of the world at zoom 0
MIN_ZOOM, MAX_ZOOM = 3, 12


def mercator_y(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def latitude(y: float) -> float:
    return math.degrees(2 * math.atan(math.exp(y)) - math.pi / 2)


def union(boxes) -> tuple[float, float, float, float]:
    """The box (west, south, east, north) around boxes of the same form."""
    boxes = list(boxes)
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def fit(box: tuple, width: int, height: int, pad: int = 24, max_zoom: int = MAX_ZOOM) -> tuple[float, float, int]:
    """(lat, lon, zoom): the box's centre and the highest whole zoom (Leaflet snaps to whole levels)
    at which the box fits in width × height pixels, ``pad`` pixels clear of each edge."""
    west, south, east, north = box
    dx = (east - west) / 360
    dy = (mercator_y(north) - mercator_y(south)) / (2 * math.pi)
    zoom = MIN_ZOOM
    for z in range(max_zoom, MIN_ZOOM - 1, -1):
        world = TILE * 2**z
        if dx * world <= width - 2 * pad and dy * world <= height - 2 * pad:
            zoom = z
            break
    return latitude((mercator_y(north) + mercator_y(south)) / 2), (west + east) / 2, zoom


def visible_box(lat: float, lon: float, zoom: int, width: int, height: int) -> tuple[float, float, float, float]:
    """(west, south, east, north) that a width × height map centred on lat, lon at ``zoom`` shows."""
    world = TILE * 2**zoom
    half_lon = width / 2 / world * 360
    half_y = height / 2 / world * 2 * math.pi
    y = mercator_y(lat)
    return lon - half_lon, latitude(y - half_y), lon + half_lon, latitude(y + half_y)
