"""The app names no private member of folium, branca, streamlit-folium or Leaflet (issue 22 §3):
their underscore names change without notice between releases, so a scan of the app's own
Python and JavaScript keeps them out."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APP = ["app.py", "components", "geo", "atlas", "pages", "static"]
# branca's parent link (_parent), Leaflet's layer fields (_map, _leaflet_id, L.X._y)
# and page globals of other components (window.__...). Not yet: _children, _name, _id (PlainRender).
PRIVATE = re.compile(r"\._(parent|map|layers|leaflet_id)\b|_leaflet_id|\bL\.\w+\._\w|window\.__")


def app_files() -> list[Path]:
    files = []
    for entry in APP:
        path = ROOT / entry
        found = [path] if path.is_file() else [*path.rglob("*.py"), *path.rglob("*.js")]
        files += [f for f in found if "vendor" not in f.parts]
    return files


def private_uses(text: str) -> list[str]:
    return [m.group(0) for m in PRIVATE.finditer(text)]


def test_the_scan_sees_what_it_forbids():
    assert private_uses("var size = group._map.getSize();") == ["._map"]
    assert private_uses("{{ this._parent.get_name() }}") == ["._parent"]
    assert private_uses("layer.feature = f; map.hasLayer(group)") == []


def test_no_app_module_names_a_private_member_of_the_map_libraries():
    found = {str(f.relative_to(ROOT)): private_uses(f.read_text(encoding="utf-8")) for f in app_files()}
    assert len(found) > 20  # the scan reads the app, not an empty folder
    assert {f: uses for f, uses in found.items() if uses} == {}
