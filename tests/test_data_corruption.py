"""Every data file, broken every way a file gets broken (emptied, cut short, a column or key lost, a
wrong type, a duplicate key, bad coordinates, invalid YAML / JSON), in a copy of data/: the loader
refuses it with a message naming the file (and the row or feature and field where there is one),
never a traceback or a server path; every page then shows one clear message. Also: the committed
manifest is current, so a truncation is caught against it."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from app_pages import app_test

from atlas import manifest as M
from atlas import schemas as S
from atlas.load import load_atlas
from atlas.paths import DATA_DIR, DATA_DIR_ENV, GEO_DIR, MANIFEST_FILE, ROOT, STATIC_DIR
from atlas.schemas import SYNONYMS
from atlas.validate import DataFileError

PARIS = ("48.8566", "2.3522")
TABLES = {
    s.file: s
    for s in (
        S.SECTORS,
        S.PRIORITY_SECTORS,
        S.INDUSTRY_SECTORS,
        S.INDUSTRIAL_CLUSTERS,
        S.CITY_CLUSTERS,
        S.CITY_CLUSTER_MEMBERS,
        S.ZONES,
        S.EVENTS,
        S.ORGANISATIONS,
        S.PARTNERSHIPS,
        S.PROJECTS,
        S.POLICY_MATURITY,
        S.SECTOR_FIGURES,
        S.COUNTRY_FACTS,
        S.MIC2025,
        S.SEI,
        S.TALKING_POINTS,
        S.SOURCE_QUALITY,
        S.GEONAMES_PLACES,
        SYNONYMS,
        S.DIVISION_SEATS,
    )
}
RECORDS = {s.file: s for s in (S.POLICIES, S.SUCCESS_STORIES, S.TOUR)}
LAYERS = {s.file: s for s in (*S.LAYERS.values(), *S.STATIC_LAYERS)}
TYPED = (
    "int",
    "float",
    "lat",
    "lon",
    "bool",
    "adcode",
    "sector",
    "sectors",
    "priority",
    "source",
)


@dataclass(frozen=True)
class Case:
    file: str  # as the message names it: under data/, or static/...
    how: str
    change: Callable[[Path], None]
    where: str = ""  # regex the message must contain after the file name (row, line, feature...)
    field: str = ""

    @property
    def id(self) -> str:
        return f"{self.file}:{self.how}"


# ---------------------------------------------------------------- ways of breaking a file


def _rows(path: Path) -> tuple[list[str], list[dict]]:
    reader = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")))
    return list(reader.fieldnames), list(reader)


def _write_rows(path: Path, fields: list[str], rows: list[dict]) -> None:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def _set_cell(row: int, field: str, value: str):
    def change(path: Path) -> None:
        fields, rows = _rows(path)
        rows[row - 1][field] = value
        _write_rows(path, fields, rows)

    return change


def _set_cells(row: int, values: dict):
    def change(path: Path) -> None:
        fields, rows = _rows(path)
        rows[row - 1].update(values)
        _write_rows(path, fields, rows)

    return change


def _drop_column(field: str):
    def change(path: Path) -> None:
        fields, rows = _rows(path)
        fields.remove(field)
        _write_rows(path, fields, [{k: v for k, v in r.items() if k != field} for r in rows])

    return change


def _empty(path: Path) -> None:
    path.write_text("", encoding="utf-8")


def _cut(fraction: float):
    def change(path: Path) -> None:
        data = path.read_bytes()
        path.write_bytes(data[: int(len(data) * fraction)])

    return change


def _drop_last_lines(n: int):
    def change(path: Path) -> None:
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        path.write_text("".join(lines[:-n]), encoding="utf-8")

    return change


def _first_located_row(path: Path) -> int:
    return next(i for i, r in enumerate(_rows(path)[1], start=1) if r.get("lat"))


def csv_cases(name: str, path: Path) -> list[Case]:
    schema = TABLES[name]
    fields, rows = _rows(path)
    required = next(c.name for c in schema.columns if c.required)
    typed = next(c for c in schema.columns if c.kind in TYPED or c.choices)
    typed_row = next((i for i, r in enumerate(rows, start=1) if r.get(typed.name)), 1)
    cases = [
        Case(name, "empty", _empty, "file is empty"),
        Case(name, "cut mid-row", _cut(0.6)),
        Case(name, "last rows lost", _drop_last_lines(2), "looks truncated"),
        Case(name, "missing column", _drop_column(required), "header", required),
        Case(
            name,
            "wrong type",
            _set_cell(typed_row, typed.name, "=abc"),
            f"row {typed_row}",
            typed.name,
        ),
    ]
    if schema.id_column:
        cases.append(
            Case(
                name,
                "duplicate key",
                _set_cell(2, schema.id_column, rows[0][schema.id_column]),
                "row 2",
                schema.id_column,
            )
        )
    if "lat" in fields:
        row = _first_located_row(path)
        cases += [
            Case(
                name,
                "lat not a number",
                _set_cell(row, "lat", "abc"),
                f"row {row}",
                "lat",
            ),
            Case(
                name,
                "Paris coordinates",
                _set_cells(row, dict(zip(("lat", "lon"), PARIS, strict=False))),
                f"row {row}",
                "lon",
            ),
        ]
    return cases


def _edit_records(edit: Callable[[list], None]):
    def change(path: Path) -> None:
        records = yaml.safe_load(path.read_text(encoding="utf-8"))
        edit(records)
        path.write_text(
            yaml.safe_dump(records, allow_unicode=True, sort_keys=False),
            encoding="utf-8",
        )

    return change


def _duplicate_mapping_key(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    first = re.search(r"^- id: .*$", text, flags=re.M)
    path.write_text(text[: first.end()] + "\n  id: again" + text[first.end() :], encoding="utf-8")


def yaml_cases(name: str, path: Path) -> list[Case]:
    typed = {
        "policies.yaml": ("year_start", "soon"),
        "tour.yaml": ("zoom", "far"),
        "cooperation/success_stories.yaml": ("source", "my notes"),
    }[name]
    records = yaml.safe_load(path.read_text(encoding="utf-8"))
    row = next(i for i, r in enumerate(records, start=1) if r.get(typed[0]) is not None)
    cases = [
        Case(name, "empty", _empty, "file is empty"),
        Case(
            name,
            "invalid YAML",
            lambda p: p.write_text(p.read_text(encoding="utf-8") + "\n- id: [unclosed\n", encoding="utf-8"),
            "line",
        ),
        Case(name, "cut short", _cut(0.7)),
        Case(
            name,
            "last records lost",
            _edit_records(lambda r: r.__delitem__(slice(-2, None))),
            "looks truncated",
        ),
        Case(
            name,
            "duplicate id",
            _edit_records(lambda r: r[1].update(id=r[0]["id"])),
            "row 2",
            "id",
        ),
        Case(name, "duplicate key in a record", _duplicate_mapping_key, "line", ""),
        Case(
            name,
            "missing id",
            _edit_records(lambda r: r[-1].pop("id")),
            f"row {len(records)}",
            "id",
        ),
        Case(
            name,
            "wrong type",
            _edit_records(lambda r: r[row - 1].update({typed[0]: typed[1]})),
            f"row {row}",
            typed[0],
        ),
    ]
    if name == "tour.yaml":
        cases.append(
            Case(
                name,
                "Paris coordinates",
                _edit_records(lambda r: r[0].update(lat=48.85, lon=2.35)),
                "row 1",
                "lon",
            )
        )
    return cases


def _edit_json(edit: Callable[[dict], None]):
    def change(path: Path) -> None:
        data = json.loads(path.read_text(encoding="utf-8"))
        edit(data)
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    return change


class _Position(list):
    """A point's [lon, lat] whose item 0 set to a position becomes that position."""

    def __setitem__(self, index, value):
        if index == 0 and isinstance(value, list):
            self[:] = value
        else:
            super().__setitem__(index, value)


def _first_position(feature: dict) -> list:
    """The list whose first item is the feature's first [lon, lat] position (a point's geometry
    is wrapped, so that setting item 0 replaces its position)."""
    geometry = feature["geometry"]
    if geometry["type"] == "Point":
        geometry["coordinates"] = holder = _Position(geometry["coordinates"])
        return holder
    coords = geometry["coordinates"]
    parent = coords
    while isinstance(coords[0], list):
        parent, coords = coords, coords[0]
    return parent


def layer_cases(name: str, schema) -> list[Case]:
    key = schema.id_property
    cases = [
        Case(name, "empty", _empty, "file is empty"),
        Case(name, "cut short", _cut(0.5), "line"),
        Case(
            name,
            "last feature lost",
            _edit_json(lambda d: d["features"].pop()),
            "looks truncated",
        ),
    ]
    if name == "geo/counties.geojson":  # the big one: the ways that need no full walk of its 8 MB
        return cases
    prop = schema.properties[-1]

    def paris(d):
        _first_position(d["features"][0])[0] = [float(PARIS[1]), float(PARIS[0])]

    def text(d):
        _first_position(d["features"][0])[0] = ["abc", 30.0]

    return cases + [
        Case(
            name,
            "missing property",
            _edit_json(lambda d: d["features"][2]["properties"].pop(prop)),
            "feature 3",
            prop,
        ),
        Case(
            name,
            "duplicate key",
            _edit_json(lambda d: d["features"][1]["properties"].update({key: d["features"][0]["properties"][key]})),
            "feature 2",
            key,
        ),
        Case(
            name,
            "wrong geometry type",
            _edit_json(lambda d: d["features"][1].update(geometry=wrong_geometry(schema))),
            "feature 2",
            "geometry",
        ),
        Case(name, "Paris coordinates", _edit_json(paris), "feature 1", "geometry"),
        Case(name, "coordinate not a number", _edit_json(text), "feature 1", "geometry"),
    ]


def meta_cases(name: str) -> list[Case]:
    return [
        Case(name, "empty", _empty, "file is empty"),
        Case(name, "invalid JSON", _cut(0.5), "line"),
        Case(
            name,
            "missing key",
            _edit_json(lambda d: d.pop("source_version")),
            "top level",
            "source_version",
        ),
        Case(
            name,
            "wrong type",
            _edit_json(lambda d: d.update(decimals="four")),
            "top level",
            "decimals",
        ),
    ]


def wrong_geometry(schema) -> dict:
    """A geometry of a type the layer does not hold."""
    if "Point" in schema.geometry:
        return {"type": "Polygon", "coordinates": [[[110.0, 30.0], [111.0, 30.0], [111.0, 31.0], [110.0, 30.0]]]}
    return {"type": "Point", "coordinates": [110.0, 30.0]}


def all_cases() -> list[Case]:
    cases: list[Case] = []
    for name in M.data_files(DATA_DIR):
        path = DATA_DIR / name
        if name in TABLES:
            cases += csv_cases(name, path)
        elif name in RECORDS:
            cases += yaml_cases(name, path)
        elif name in LAYERS:
            cases += layer_cases(name, LAYERS[name])
        elif name == S.BOUNDARIES_META[0]:
            cases += meta_cases(name)
        else:
            raise AssertionError(f"{name} has no corruption cases: add its reader's checks here")
    for name in M.static_files(STATIC_DIR):
        cases += layer_cases(f"static/{name}", LAYERS[f"static/{name}"])
    cases.append(Case(MANIFEST_FILE, "empty", _empty, "damaged"))
    cases.append(Case(MANIFEST_FILE, "lost", lambda p: p.unlink(), "missing"))
    return cases


CASES = all_cases()


def copies(tmp_path: Path, case: Case | None = None) -> tuple[Path, Path, Path]:
    """(data, geo, static) dirs for a load: a copy of what the case breaks, the repository's own
    otherwise (so the boundary layers stay cached between cases and the suite stays fast)."""
    data, geo, static = tmp_path / "data", GEO_DIR, STATIC_DIR
    shutil.copytree(DATA_DIR, data, ignore=shutil.ignore_patterns("geo"))
    if case is None or case.file.startswith("geo/"):
        geo = data / "geo"
        shutil.copytree(GEO_DIR, geo)
    if case is not None and case.file.startswith("static/"):
        static = tmp_path / "static"
        shutil.copytree(STATIC_DIR / "geo", static / "geo")
    return data, geo, static


def target(case: Case, data: Path, geo: Path, static: Path) -> Path:
    if case.file.startswith("static/"):
        return static / case.file[len("static/") :]
    return geo / case.file[len("geo/") :] if case.file.startswith("geo/") else data / case.file


# ---------------------------------------------------------------- the loader


def test_the_committed_manifest_is_current():
    """Run `python -m atlas.manifest --write` after changing a data file on purpose."""
    assert json.loads((DATA_DIR / MANIFEST_FILE).read_text(encoding="utf-8")) == M.build()


def test_the_committed_derived_files_pass_their_full_checks():
    """What the loader trusts by checksum is what these checks accept."""
    from atlas.load import check_derived

    check_derived(DATA_DIR, DATA_DIR / "geo", STATIC_DIR, {"data": {}, "static": {}})


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_each_broken_file_is_refused_naming_file_place_and_field(tmp_path, case):
    data, geo, static = copies(tmp_path, case)
    case.change(target(case, data, geo, static))
    with pytest.raises(DataFileError) as err:
        load_atlas(data_dir=data, geo_dir=geo, static_dir=static)
    message = str(err.value)
    assert message.startswith(case.file + ":") or message.startswith(case.file + ","), message
    assert re.search(case.where, message), message
    if case.field:
        assert f"field '{case.field}'" in message, message
    assert str(tmp_path) not in message and str(ROOT) not in message and "Traceback" not in message


def test_a_file_the_manifest_does_not_know_yet_is_accepted_but_the_manifest_test_asks_for_it(
    tmp_path,
):
    data, _, static = copies(tmp_path)
    (data / "facts" / "new_figures.csv").write_text("id,source\nx,https://a.example\n", encoding="utf-8")
    load_atlas(data_dir=data, static_dir=static)
    assert "facts/new_figures.csv" not in json.loads((data / MANIFEST_FILE).read_text(encoding="utf-8"))["data"]
    assert "facts/new_figures.csv" in M.build(data, static)["data"]


def test_a_deliberate_change_is_accepted_once_the_manifest_is_rewritten(tmp_path):
    data, _, static = copies(tmp_path)
    path = data / "cooperation" / "projects.csv"
    path.write_bytes(path.read_bytes().replace(b"Strengthening international", b"Strengthening global", 1))
    with pytest.raises(DataFileError, match=r"projects.csv: differs from the committed version"):
        load_atlas(data_dir=data, static_dir=static)
    M.write(data, static)
    assert len(load_atlas(data_dir=data, static_dir=static).projects)


STORY_EDITS = {  # a deliberate edit gone wrong: the manifest is rewritten, the checks still refuse it
    "id not an id": (lambda r: r[0].update(id=5), "id"),
    "duplicate id": (lambda r: r[1].update(id=r[0]["id"]), "id"),
    "a copy of a story appended": (lambda r: r.append(dict(r[0])), "id"),
    "title a list": (lambda r: r[0].update(title=["a"]), "title"),
    "years a number": (lambda r: r[0].update(years=2018), "years"),
    "partners a text": (lambda r: r[0].update(eu_partners="CLARA"), "eu_partners"),
    "a partner without a name": (lambda r: r[0]["chinese_partners"][0].pop("name"), "chinese_partners"),
    "activities a text": (lambda r: r[0].update(activities="did things"), "activities"),
    "unknown sector": (lambda r: r[0].update(sector="nonsense"), "sector"),
    "bad division code": (lambda r: r[0]["chinese_partners"][0].update(adcode="99"), "chinese_partners"),
    "contact a text": (lambda r: r[0].update(contact="Olivier"), "contact"),
    "unknown related event": (lambda r: r[0].update(related_events=["ev_nope"]), "related_events"),
    "related event twice": (lambda r: r[0]["related_events"].append(r[0]["related_events"][0]), "related_events"),
}


@pytest.mark.parametrize("how", STORY_EDITS)
def test_a_success_story_of_the_wrong_shape_is_refused_even_with_the_manifest_rewritten(tmp_path, how):
    edit, fieldname = STORY_EDITS[how]
    data, geo, static = copies(tmp_path)
    _edit_records(edit)(data / "cooperation" / "success_stories.yaml")
    M.write(data, static)  # as after `python -m atlas.manifest --write`: only the checks stand
    with pytest.raises(DataFileError) as err:
        load_atlas(data_dir=data, geo_dir=geo, static_dir=static)
    message = str(err.value)
    assert message.startswith("cooperation/success_stories.yaml, row "), message
    assert f"field '{fieldname}'" in message, message
    assert str(tmp_path) not in message and "Traceback" not in message


# ---------------------------------------------------------------- every page

# The Sources page reads only the source documents (data/sources/), never the datasets: with a
# broken dataset it still shows the cited passages (test below).
DOCUMENTS_ONLY = {"pages/sources.py"}
PAGES = [
    "app.py",
    *sorted(
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "pages").glob("*.py")
        if p.relative_to(ROOT).as_posix() not in DOCUMENTS_ONLY
    ),
]
PAGE_CASES = {c.id: c for c in CASES}
REPRESENTATIVE = [
    PAGE_CASES[i]
    for i in (
        "industrial_clusters.csv:Paris coordinates",  # a row and a field
        "policies.yaml:last records lost",  # a truncation that still parses
        "geo/division_seats.csv:lat not a number",  # a derived file
    )
]


@pytest.fixture(scope="module")
def broken_dirs(tmp_path_factory):
    out = {}
    for case in REPRESENTATIVE:
        data, geo, static = copies(tmp_path_factory.mktemp(re.sub(r"\W+", "-", case.id)))
        case.change(target(case, data, geo, static))
        out[case.id] = data
    return out


@pytest.mark.parametrize("case", REPRESENTATIVE, ids=lambda c: c.id)
@pytest.mark.parametrize("page", PAGES)
def test_every_page_shows_one_clear_message_and_no_traceback(broken_dirs, monkeypatch, page, case):
    monkeypatch.setenv(DATA_DIR_ENV, str(broken_dirs[case.id]))
    at = app_test(page, timeout=90)
    at.run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert len(errors) == 1, errors
    assert "could not be loaded" in errors[0] and "Restore the file from the repository" in errors[0]
    shown = case.file.replace("_", "\\_")  # as escaped for Markdown
    assert f"data/{shown}" in errors[0]
    assert str(broken_dirs[case.id]) not in errors[0] and str(ROOT) not in errors[0]


@pytest.mark.parametrize("case", REPRESENTATIVE[:1], ids=lambda c: c.id)
def test_the_sources_page_still_shows_the_documents_when_a_dataset_is_broken(broken_dirs, monkeypatch, case):
    monkeypatch.setenv(DATA_DIR_ENV, str(broken_dirs[case.id]))
    at = app_test("pages/sources.py", timeout=90)
    at.run()
    assert not at.exception
    assert not at.error
    shown = " ".join(str(m.value) for m in at.markdown)
    assert [t.value for t in at.title] == ["Sources"]
    assert "Preparatory Briefing on China" in shown
