"""Folium layers of the atlas map (no Streamlit here, so they are testable and reusable).

The base map (offline province outline, optional tiles) is fixed per basemap choice;
everything that filters or selection change is a FeatureGroup handed to st_folium's
``feature_group_to_add``, which swaps layers without re-rendering the map.
Every clickable feature carries ``kind`` and ``id`` properties (atlas/kinds.py), so a click comes
back from streamlit-folium as ``last_active_drawing`` and is resolved without guessing from
coordinates; streamlit-folium itself listens for the clicks.
"""

from __future__ import annotations

import html
import json
import math
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from urllib.parse import quote

import folium
from branca.element import CssLink, Element, JavascriptLink
from folium.template import Template

from atlas.paths import STATIC_DIR
from geo import web

LEAFLET_JS = "/app/static/vendor/leaflet/leaflet.js"
LEAFLET_CSS = "/app/static/vendor/leaflet/leaflet.css"
CHINA_CENTER = (35.0, 104.5)
# Cluster circles sit above the zone and cooperation symbols (marker pane, z 600) so the
# top-100 stay clickable where they overlap; SVG paths only catch clicks on their shapes.
CLUSTER_PANE, HIGHLIGHT_PANE = "atlas-clusters", "atlas-highlight"
# The province outline is painted on one canvas below every overlay (not clickable): a canvas
# draws the thousands of outline vertices far faster than one SVG path per province.
OUTLINE_PANE = "atlas-outline"
LABEL_PANE = "atlas-labels"  # place names: above the outline and areas, below every marker
# Place labels appear as the map zooms in: capitals at the country view, then every city.
LABEL_ZOOM = {1: 5, 2: 7}
CHINA_ZOOM = 4
TIER_STYLE = {
    "world_class": {"fillColor": "#0072B2", "fillOpacity": 0.22, "weight": 2},
    "default": {"fillColor": "#56B4E9", "fillOpacity": 0.12, "weight": 1},
}
TILES = {
    "url": "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}{r}.png",
    "attr": "© OpenStreetMap contributors © CARTO",
}
# Marker symbols drawn with CSS inside the map frame (no icon fonts or images to fetch).
SYMBOL_CSS = """
<style>
.atlas-zone{width:9px;height:9px;margin:2px;transform:rotate(45deg);border:1.5px solid #1F2933;
  box-shadow:0 0 0 1px #fff;}
.atlas-coop{width:0;height:0;margin:1px 2px;border-left:6px solid transparent;
  border-right:6px solid transparent;border-bottom:11px solid #1F2933;filter:drop-shadow(0 0 1px #fff);}
.leaflet-container{background:#EAF2F8;font-family:sans-serif;}
#map_div{height:100vh!important;}
.leaflet-tooltip{font-size:14px;}
.atlas-place{font-size:11px;color:#3E4C59;white-space:nowrap;text-shadow:0 0 2px #fff,0 0 2px #fff,0 0 3px #fff;
  pointer-events:none;transform:translate(6px,-7px);}
.atlas-place.r1{font-size:12.5px;font-weight:600;color:#1F2933;}
.atlas-wheel-hint{background:rgba(31,41,51,.75);color:#fff;padding:3px 8px;border-radius:3px;font-size:12px;}
.atlas-legend{background:rgba(255,255,255,.93);padding:5px 9px;border-radius:4px;font-size:12px;
  line-height:1.55;box-shadow:0 1px 4px rgba(0,0,0,.3);overflow-y:auto;}
.atlas-legend summary{font-weight:600;cursor:pointer;}
.atlas-legend .row{display:flex;align-items:center;gap:6px;white-space:nowrap;}
.atlas-legend .atlas-zone,.atlas-legend .atlas-coop{flex:none;}
.atlas-dot{width:11px;height:11px;border-radius:50%;flex:none;border:1px solid #fff;box-shadow:0 0 0 1px #999;}
.atlas-area{width:14px;height:9px;flex:none;border:1.5px dashed #0072B2;background:rgba(86,180,233,.25);}
.atlas-area.world{border-style:solid;border-width:2px;background:rgba(0,114,178,.3);}
.atlas-area.shade{border:1px solid #8A99A8;background:linear-gradient(90deg,rgba(180,95,6,.08),rgba(180,95,6,.5));}
</style>
"""


# Runs in the map frame before Leaflet loads: starts fetching the static GeoJSON files, so they
# arrive while Leaflet loads instead of after (StaticGeoJson takes them from window.atlasGeo).
FRAME_JS = """
window.atlasGeo = window.atlasGeo || {};
%(urls)s.forEach(function (u) {
  window.atlasGeo[u] = fetch(u).then(function (r) { return r.json(); });
});
"""


def frame_script() -> str:
    """FRAME_JS as a data: URL, so it costs no request of its own."""
    urls = json.dumps([web.url(level) for level in web.WEB_FILES])
    return "data:text/javascript," + quote(FRAME_JS % {"urls": urls})


class PlainScript(Element):
    """Markup or JavaScript already rendered: added to the page as it is."""

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def render(self, **kwargs) -> str:
        return self.text


def script_json(value) -> str:
    """JSON for a page's script, escaped as folium's and Jinja's ``tojson`` escape it (no ``<``,
    ``>``, ``&`` or ``'`` left to end a script or an attribute): data serialised once, where many
    maps show it, instead of by the template on every run."""
    return (
        json.dumps(value, sort_keys=True)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("'", "\\u0027")
    )


_NAME_STEMS: dict[str, str] = {}  # an element's _name -> the start of its name (PlainRender.get_name)


class PlainRender:
    """Mixin for folium elements whose rendered parts go to the page as they are. branca's
    ``MacroElement.render`` compiles each element's output as a new Jinja template (for the map,
    its panes, each feature group and the call that adds it to the map: about a third of the map's
    cost on every run, profiled); ours leave no template syntax in their output, so there is
    nothing to compile. Otherwise it renders as folium does: the element's JavaScript and CSS
    links into the page header, then its header, html and script parts, then its children."""

    def get_name(self) -> str:
        """branca's name for the element, its ``_name`` in snake case and its id: the snake case is
        worked out once per ``_name`` (by branca's own ``get_name``), not on each of the ~140 calls
        that drawing one map makes (a tenth of streamlit-folium's work on every run, profiled)."""
        stem = _NAME_STEMS.get(self._name)
        if stem is None:
            full = super().get_name()
            stem = _NAME_STEMS[self._name] = full[: len(full) - len(self._id)]
        return stem + self._id

    def render(self, **kwargs) -> None:
        figure = self.get_root()
        for name, url in getattr(self, "default_js", ()):
            figure.header.add_child(JavascriptLink(url), name=name)
        for name, url in getattr(self, "default_css", ()):
            figure.header.add_child(CssLink(url), name=name)
        for part in ("header", "html", "script"):
            macro = self._template.module.__dict__.get(part)
            if macro is not None:
                getattr(figure, part).add_child(PlainScript(macro(self, kwargs)), name=self.get_name())
        for element in self._children.values():
            element.render(**kwargs)


class AtlasElement(PlainRender, folium.MacroElement):
    """Our map elements (rendered by PlainRender). ``target``: the map or layer the element draws
    into, kept by the public ``add_to`` so templates name it without branca's private parent."""

    target: Element | None = None

    def add_to(self, parent: Element, name: str | None = None, index: int | None = None) -> AtlasElement:
        self.target = parent
        return super().add_to(parent, name=name, index=index)


@dataclass(frozen=True)
class LayerSpec:
    """A feature group as data: its name and the makers of its elements, built once and shared by
    every session's map. ``group()`` makes fresh folium objects for one map: streamlit-folium
    renames the groups it is given, and their children, for the map it renders, so one object is
    never handed to two sessions' maps (a group drawn by two at once was seen to reach a browser
    half renamed: a script error, and markers deaf to clicks). The makers' arguments are shared:
    read-only."""

    name: str
    makers: tuple[Callable[[], Element], ...] = ()

    def group(self) -> folium.FeatureGroup:
        fg = folium.FeatureGroup(name=self.name)
        for make in self.makers:
            make().add_to(fg)
        return fg


class StaticGeoJson(AtlasElement):
    """A GeoJSON layer the browser fetches from the app's static files (and caches), instead of
    data serialised into the map on every rerun. Styles come per feature from ``styles`` (keyed
    by a property), tooltips from the escaped ``label`` property, clicks carry the properties.
    ``pane`` set: drawn on a canvas in that pane (for big, non-interactive outlines)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.geoJson(null, {
            interactive: {{ this.interactive|tojson }},
            {% if this.pane %}pane: {{ this.pane|tojson }}, renderer: L.canvas({pane: {{ this.pane|tojson }}}),{% endif %}
            filter: function (f) { var keep = {{ this.only|tojson }};
                                   return keep === null || keep.indexOf(f.properties.id) >= 0; },
            style: function (f) { var s = {{ this.styles|tojson }};
                                  return s[f.properties[{{ this.style_key|tojson }}]] || s["default"]; },
            onEachFeature: function (f, layer) {
                if (f.properties.label) { layer.bindTooltip(f.properties.label, {sticky: true}); } }
        }).addTo({{ this.target.get_name() }});
        ((window.atlasGeo || {})[{{ this.url|tojson }}]
         || fetch({{ this.url|tojson }}).then(function (r) { return r.json(); }))
            .then(function (d) { {{ this.get_name() }}.addData(d); });
        {% endmacro %}
    """)

    def __init__(
        self,
        level: str,
        styles: dict,
        style_key: str = "id",
        only: list[str] | None = None,
        interactive: bool = True,
        pane: str | None = None,
    ):
        super().__init__()
        self._name = "StaticGeoJson"
        self.url, self.styles, self.style_key = web.url(level), styles, style_key
        self.only, self.interactive, self.pane = only, interactive, pane


class PlaceLabels(AtlasElement):
    """Names of the provincial capitals, and of every prefecture-level city once the map is zoomed
    in (LABEL_ZOOM), from our own division seats (static/geo/places.json, fetched like the
    outlines). Not clickable: clicks go through to the markers."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function (map, url, minZoom, pane) {
            var groups = {};
            function update() {
                Object.keys(groups).forEach(function (rank) {
                    var on = map.getZoom() >= minZoom[rank];
                    if (on && !map.hasLayer(groups[rank])) { groups[rank].addTo(map); }
                    if (!on && map.hasLayer(groups[rank])) { map.removeLayer(groups[rank]); }
                });
            }
            ((window.atlasGeo || {})[url] || fetch(url).then(function (r) { return r.json(); }))
                .then(function (d) {
                    d.features.forEach(function (f) {
                        var rank = f.properties.rank, c = f.geometry.coordinates;
                        groups[rank] = groups[rank] || L.layerGroup();
                        groups[rank].addLayer(L.marker([c[1], c[0]], {pane: pane, interactive: false,
                            keyboard: false, icon: L.divIcon({className: "", iconSize: null,
                            html: '<div class="atlas-place r' + rank + '">' + f.properties.label + '</div>'})}));
                    });
                    update();
                });
            map.on("zoomend", update);
        })({{ this.target.get_name() }}, {{ this.url|tojson }}, {{ this.min_zoom|tojson }}, {{ this.pane|tojson }});
        {% endmacro %}
    """)

    def __init__(self):
        super().__init__()
        self._name = "PlaceLabels"
        self.url, self.min_zoom, self.pane = web.url("place"), LABEL_ZOOM, LABEL_PANE


class WheelOnFocus(AtlasElement):
    """Scrolling the page over the map scrolls the page, as embedded maps usually do: the wheel
    zooms once the map has been clicked (until the pointer leaves it) or with Ctrl/Cmd held."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function (map) {
            var box = map.getContainer(), hint = null, timer = null;
            map.scrollWheelZoom.disable();
            map.on("click focus", function () { map.scrollWheelZoom.enable(); });
            box.addEventListener("mouseleave", function () { map.scrollWheelZoom.disable(); });
            box.addEventListener("wheel", function (e) {
                if (map.scrollWheelZoom.enabled()) { return; }
                if (e.ctrlKey || e.metaKey) { e.preventDefault(); map.scrollWheelZoom.enable(); return; }
                if (!hint) { hint = L.control({position: "topright"});
                    hint.onAdd = function () { var d = L.DomUtil.create("div", "atlas-wheel-hint");
                        d.textContent = "Click the map (or hold Ctrl) to zoom with the wheel"; return d; }; }
                hint.addTo(map); clearTimeout(timer); timer = setTimeout(function () { hint.remove(); }, 1500);
            }, {passive: false});
        })({{ this.target.get_name() }});
        {% endmacro %}
    """)

    def __init__(self):
        super().__init__()
        self._name = "WheelOnFocus"


class OfflineMap(PlainRender, folium.Map):
    """A folium map whose only assets are Leaflet's, served by the app from static/ (rendered by
    PlainRender)."""

    default_js = [("leaflet", LEAFLET_JS)]
    default_css = [("leaflet_css", LEAFLET_CSS)]


class AtlasMap(OfflineMap):
    """The atlas map: Leaflet, and FRAME_JS (which needs no request) before it."""

    default_js = [("atlas_frame", frame_script()), ("leaflet", LEAFLET_JS)]


def local_assets_present() -> list[str]:
    """Paths of the local map assets that are missing (empty list when all are there)."""
    needed = [STATIC_DIR / "vendor" / "leaflet" / n for n in ("leaflet.js", "leaflet.css")]
    needed += [web.WEB_DIR / n for n in web.WEB_FILES.values()]
    return [str(p) for p in needed if not p.exists()]


def base_map(basemap: str = "outline", start: tuple[tuple[float, float], int] | None = None) -> folium.Map:
    """China at country zoom (or ``start``: (centre, zoom)), province outlines always drawn so the
    map is never blank."""
    centre, zoom = start or (CHINA_CENTER, CHINA_ZOOM)
    m = AtlasMap(
        location=centre,
        zoom_start=zoom,
        min_zoom=3,
        max_zoom=12,
        tiles=None,
        prefer_canvas=False,
        control_scale=True,
        # Leaflet's keyboard handler focuses the map on mousedown, which scrolls a page whose map
        # is not wholly in view, so the click lands elsewhere (seen at 1280×720): a click selects.
        keyboard=False,
    )
    folium.map.CustomPane(OUTLINE_PANE, z_index=350).add_to(m)  # above tiles, below overlays
    folium.map.CustomPane(LABEL_PANE, z_index=450).add_to(m)
    folium.map.CustomPane(CLUSTER_PANE, z_index=650).add_to(m)
    folium.map.CustomPane(HIGHLIGHT_PANE, z_index=660).add_to(m)
    m.get_root().header.add_child(PlainScript(SYMBOL_CSS))  # no template to compile on every run
    if basemap == "tiles":
        folium.TileLayer(TILES["url"], attr=TILES["attr"], name="Light basemap", max_zoom=12, subdomains="abcd").add_to(
            m
        )
    outline_style = (
        {"color": "#8A99A8", "weight": 0.8, "fillColor": "#FFFFFF", "fillOpacity": 0.0}
        if basemap == "tiles"
        else {"color": "#8A99A8", "weight": 0.8, "fillColor": "#FBFBF8", "fillOpacity": 1.0}
    )
    StaticGeoJson("province", {"default": outline_style}, interactive=False, pane=OUTLINE_PANE).add_to(m)
    PlaceLabels().add_to(m)
    WheelOnFocus().add_to(m)
    return m


def label_text(*parts: str) -> str:
    """Tooltip text, escaped: tooltips are HTML, names come from data files."""
    return html.escape(" · ".join(p for p in parts if p))


def spread_colocated(points: list[dict], step: float = 0.045) -> list[dict]:
    """Fan out points that share a seat (e.g. Yixing's three clusters) so each is clickable."""
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for p in points:
        groups[(round(p["lat"], 4), round(p["lon"], 4))].append(p)
    out = []
    for members in groups.values():
        n = len(members)
        for i, p in enumerate(members):
            q = dict(p)
            if n > 1:
                angle = 2 * math.pi * i / n
                q["lat"] = p["lat"] + step * math.sin(angle)
                q["lon"] = p["lon"] + step * math.cos(angle) / max(math.cos(math.radians(p["lat"])), 0.2)
            out.append(q)
    return out


def _tooltip() -> folium.GeoJsonTooltip:
    return folium.GeoJsonTooltip(fields=["label"], labels=False, sticky=False)


HEX_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
FALLBACK_COLOUR = "#6B7785"


def point_rows(points: list[dict]) -> list[list]:
    """Compact rows ``[lat, lon, colour, properties]`` for PointLayer; colours are checked to be
    hex before they reach the page."""
    return [
        [
            round(p["lat"], 5),
            round(p["lon"], 5),
            p["colour"] if HEX_COLOUR.match(str(p.get("colour", ""))) else FALLBACK_COLOUR,
            {k: v for k, v in p.items() if k not in ("lat", "lon", "colour")},
        ]
        for p in points
    ]


class PointLayer(AtlasElement):
    """Points drawn by one short loop from compact rows, instead of folium's per-feature GeoJSON
    machinery (a style switch, a tooltip function and the full GeoJSON per layer): the browser
    evaluates a tenth of the code, which is most of what the map costs to show.

    Each point becomes a Leaflet layer carrying ``feature.properties`` (``kind``, ``id``, ...), so
    a click comes back as ``last_active_drawing`` exactly as from a GeoJSON layer. ``label`` is
    escaped HTML (see ``label_text``). ``rows_json``: the rows already serialised (script_json),
    when many maps show them."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function (group, rows, opts) {
            rows.forEach(function (r) {
                var layer;
                if (opts.symbol) {
                    var paint = (opts.symbol === "atlas-zone" ? "background:" : "border-bottom-color:") + r[2];
                    layer = L.marker([r[0], r[1]], {icon: L.divIcon({
                        html: '<div class="' + opts.symbol + '" style="' + paint + '"></div>',
                        className: "atlas-symbol", iconSize: [14, 14], iconAnchor: [7, 7]})});
                } else {
                    layer = L.circleMarker([r[0], r[1]], {radius: opts.radius, weight: 1.2, color: "#FFFFFF",
                        fill: true, fillColor: r[2], fillOpacity: 0.95, pane: opts.pane});
                }
                layer.feature = {type: "Feature", properties: r[3]};
                if (r[3].label) { layer.bindTooltip(r[3].label); }
                group.addLayer(layer);
            });
        })({{ this.target.get_name() }}, {{ this.rows_json }}, {{ this.options|tojson }});
        {% endmacro %}
    """)

    def __init__(
        self,
        rows: list[list],
        rows_json: str | None = None,
        radius: int = 6,
        symbol: str | None = None,
        pane: str = "overlayPane",
    ):
        super().__init__()
        self._name = "PointLayer"
        self.rows = rows
        self.rows_json = script_json(rows) if rows_json is None else rows_json
        self.options = {"radius": radius, "symbol": symbol, "pane": pane}

    @property
    def data(self) -> dict:
        """The points as a FeatureCollection (for tests and other readers)."""
        features = [
            {"type": "Feature", "properties": r[3], "geometry": {"type": "Point", "coordinates": [r[1], r[0]]}}
            for r in self.rows
        ]
        return {"type": "FeatureCollection", "features": features}


def point_layer(name: str, points: list[dict], **style) -> LayerSpec:
    """A layer of points (PointLayer's ``radius``, ``symbol``, ``pane``), serialised once."""
    if not points:
        return LayerSpec(name)
    rows = point_rows(points)
    return LayerSpec(name, (partial(PointLayer, rows, script_json(rows), **style),))


def circle_layer(name: str, points: list[dict], radius: int = 6) -> LayerSpec:
    """Points as circles coloured by their ``colour`` property, in the pane above the symbols."""
    return point_layer(name, points, radius=radius, pane=CLUSTER_PANE)


SHAPE_CSS = {"diamond": "atlas-zone", "triangle": "atlas-coop"}  # atlas/kinds.py SHAPES drawn as CSS symbols


def marker_layer(name: str, by_style: dict[tuple[str, int], list[dict]]) -> LayerSpec:
    """One layer of points, drawn per (shape, size) of atlas/kinds.py's SHAPES: circles coloured
    by their ``colour`` in the pane above the symbols, diamonds and triangles as CSS symbols in
    the marker pane."""
    makers = []
    for (shape, size), points in by_style.items():
        if not points:
            continue
        spec = (
            circle_layer(name, points, size)
            if shape == "circle"
            else point_layer(name, points, symbol=SHAPE_CSS[shape])
        )
        makers += spec.makers
    return LayerSpec(name, tuple(makers))


class Legend(AtlasElement):
    """The map's key, inside the map (on a projector it is seen without scrolling): open on a
    wide map, folded to one line on a narrow one, where it would hide markers. It lives in its
    own feature group: added and removed with the layers it explains."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function (group) {
            // A layer of the group (Leaflet's public L.Layer extension point): Leaflet hands it the
            // map when the group is added and calls onRemove when the group leaves the map.
            var control = null;
            var Key = L.Layer.extend({
                onAdd: function (map) {
                    control = L.control({position: "bottomleft"});
                    control.onAdd = function () {
                        var div = L.DomUtil.create("div", "atlas-legend");
                        div.innerHTML = {{ this.html|tojson }};
                        var size = map.getSize();
                        div.style.maxHeight = Math.round(size.y * 0.45) + "px";
                        div.style.maxWidth = Math.round(size.x * 0.4) + "px";
                        if (size.x < 900) { div.firstChild.removeAttribute("open"); }
                        L.DomEvent.disableClickPropagation(div);
                        L.DomEvent.disableScrollPropagation(div);
                        return div;
                    };
                    control.addTo(map);
                },
                onRemove: function () { if (control) { control.remove(); control = null; } }
            });
            group.addLayer(new Key());
        })({{ this.target.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, html_text: str):
        super().__init__()
        self._name = "Legend"
        self.html = html_text


LEGEND_SYMBOLS = {  # atlas/kinds.py SYMBOLS, as the legend draws them
    "circle": '<span class="atlas-dot" style="background:{c}"></span>',
    "diamond": '<span class="atlas-zone" style="background:{c}"></span>',
    "triangle": '<span class="atlas-coop" style="border-bottom-color:{c}"></span>',
    "area-world": '<span class="atlas-area world"></span>',
    "area": '<span class="atlas-area"></span>',
    "shade": '<span class="atlas-area shade"></span>',
}
LEGEND_DEFAULT = {"diamond": "#FFFFFF", "triangle": "#1F2933", "circle": "#FFFFFF"}


def _legend_row(symbol: str, text: str, colour: str = "") -> str:
    colour = colour if HEX_COLOUR.match(colour) else LEGEND_DEFAULT.get(symbol, "")
    return f'<div class="row">{LEGEND_SYMBOLS[symbol].format(c=colour)}{html.escape(text)}</div>'


def legend_html(
    sectors: list[tuple[str, str]],
    unsectored: list[tuple[str, str, str]] = (),
    rows: list[tuple[str, str]] = (),
) -> str:
    """Rows for the sectors shown (colour, label), for markers with no sector named (symbol,
    colour, text), then the shown layers' own rows (symbol, text); text escaped."""
    out = [_legend_row("circle", label, c) for c, label in sectors if HEX_COLOUR.match(c)]
    title = f"Legend · {len(out)} sector{'s' if len(out) != 1 else ''}" if sectors else "Legend"
    out += [_legend_row(symbol, text, c) for symbol, c, text in unsectored if HEX_COLOUR.match(c)]
    out += [_legend_row(symbol, text) for symbol, text in rows]
    return f"<details open><summary>{title}</summary>{''.join(out)}</details>"


def legend_layer(
    sectors: list[tuple[str, str]], unsectored: list[tuple[str, str, str]] = (), rows: list[tuple[str, str]] = ()
) -> LayerSpec:
    return LayerSpec("Legend", (partial(Legend, legend_html(sectors, unsectored, rows)),))


def _polygons(collection: dict, style_of) -> folium.GeoJson:
    return folium.GeoJson(
        collection, style_function=style_of, tooltip=_tooltip(), highlight_function=lambda _f: {"weight": 3}
    )


def polygon_layer(name: str, collection: dict, style_of) -> LayerSpec:
    """Clickable polygons (province shading) styled per feature."""
    return LayerSpec(name, (partial(_polygons, collection, style_of),))


CITY_CLUSTER_STYLES = {
    tier: {"color": "#0072B2", "dashArray": None if tier == "world_class" else "4 3", **style}
    for tier, style in TIER_STYLE.items()
}


def city_cluster_layer(visible_ids: list[str] | None) -> LayerSpec:
    """The 19 city clusters (or the filtered ones), shaded by tier, fetched as a static file."""
    return LayerSpec(
        "City clusters", (partial(StaticGeoJson, "city_cluster", CITY_CLUSTER_STYLES, "tier", visible_ids),)
    )


class Ring(AtlasElement):
    """The selection's mark: a ring around a point or a bold outline around an area, drawn in its
    own pane above the markers and never clickable (a click goes to what is underneath). One
    short Leaflet call, not folium's GeoJson machinery, whose helper functions are not defined
    when streamlit-folium evaluates a changed feature group inside an existing map."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        L.geoJson({{ this.geojson_json }}, {
            interactive: false, pane: {{ this.pane|tojson }},
            style: function () { return {{ this.style|tojson }}; },
            pointToLayer: function (f, at) {
                return L.circleMarker(at, {radius: 13, fill: false, interactive: false, pane: {{ this.pane|tojson }}}); }
        }).addTo({{ this.target.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, geojson_json: str):
        super().__init__()
        self._name = "Ring"
        self.geojson_json, self.pane = geojson_json, HIGHLIGHT_PANE
        self.style = {"color": "#D55E00", "weight": 4, "fill": False, "fillOpacity": 0.0}


def highlight_layer(lat: float | None = None, lon: float | None = None, geometry=None) -> LayerSpec:
    """A bold outline around an area (``geometry``) or a ring around a point; not clickable.
    Nothing given: an empty layer (nothing selected)."""
    if geometry is not None:
        shape = web.web_geometry(geometry, "city_cluster").__geo_interface__
    elif lat is not None and lon is not None:
        shape = {"type": "Point", "coordinates": [lon, lat]}
    else:
        return LayerSpec("Selection")
    return LayerSpec(
        "Selection", (partial(Ring, script_json({"type": "Feature", "properties": {}, "geometry": shape})),)
    )
