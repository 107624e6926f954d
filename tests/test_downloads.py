"""Every CSV the app writes: formulas neutralised, numbers kept numeric, exactly the data rows
(pandas reads no junk row), and a Frictionless datapackage.json beside it naming sources and types."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from atlas import exports as X

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = [
    '=HYPERLINK("http://e.io","x")',
    "+1+2",
    "-1+2",
    "@SUM(A1)",
    "\tTAB",
    "\rCR",
    "=1",
    "-",
    "+",
    # what an East Asian input method types, and the other characters that are = + - @ under
    # Unicode's compatibility folding (NFKC), which spreadsheets also read as a formula's start
    "＝1+2",
    "﹦1+2",
    '＝HYPERLINK("http://e.io","x")',
    "＋1+2",
    "﹢1",
    "－1+2",
    "﹣1",
    "＠SUM(A1)",
    "﹫SUM(A1)",
    "⁼1",
    "－3",  # a full-width minus before a number is not a number a CSV reader keeps
]


def read(data: bytes) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)


@pytest.mark.parametrize("cell", HOSTILE)
def test_a_cell_a_spreadsheet_would_evaluate_gets_a_leading_apostrophe(cell):
    rows = read(X.csv_bytes(pd.DataFrame({"name": [cell], "n": [1]})))
    assert rows.loc[0, "name"] == "'" + cell


def test_numbers_stay_numbers_and_plain_text_stays_as_it_is():
    df = pd.DataFrame(
        {
            "lat": [-3.5, 31.2],
            "count": [-2, 7],
            "text_number": ["-3.5", "+4"],
            "plain": ["Zürich", "a=b"],
            "flag": [True, False],
        }
    )
    text = X.csv_bytes(df).decode("utf-8-sig")
    assert text.splitlines() == [
        "lat,count,text_number,plain,flag",
        "-3.5,-2,-3.5,Zürich,True",
        "31.2,7,+4,a=b,False",
    ]
    typed = pd.read_csv(io.StringIO(text))
    assert typed["lat"].tolist() == [-3.5, 31.2] and typed["count"].tolist() == [-2, 7]


def test_an_uploaded_name_with_a_full_width_equals_sign_is_neutralised_in_the_download(atlas):
    """My places: a name typed with an East Asian input method (＝, ﹦) reaches the page's CSV
    download as text, not as a formula."""
    from atlas.uploads import read_upload
    from components.upload_views import places_table

    upload = read_upload('name,lat,lon\n"＝HYPERLINK(""http://e.io"",""x"")",31.2,121.5\n﹦1+2,30.3,120.2\n'.encode())
    assert [p.name for p in upload.places] == ['＝HYPERLINK("http://e.io","x")', "﹦1+2"]
    names = read(X.csv_bytes(places_table(atlas, upload)))["name"].tolist()
    assert names == ['\'＝HYPERLINK("http://e.io","x")', "'﹦1+2"]


def test_a_hostile_header_is_neutralised_too():
    assert read(X.csv_bytes(pd.DataFrame({"=cmd": ["x"]}))).columns.tolist() == ["'=cmd"]


def test_pandas_reads_exactly_the_data_rows_and_the_bom_is_not_in_the_first_name():
    df = pd.DataFrame(
        {
            "id": ["a", "b", "c"],
            "name": ["甲", "B, with comma", 'say "hi"'],
            "source": ["s"] * 3,
        }
    )
    data = X.csv_bytes(df)
    assert data.startswith("\ufeff".encode())  # spreadsheet programs then read Chinese
    rows = pd.read_csv(io.BytesIO(data))  # what a data user does, no options
    assert rows.columns.tolist() == ["id", "name", "source", "source_file"] and len(rows) == 3
    pd.testing.assert_frame_equal(read(data).drop(columns="source_file"), df)  # "s" cites as "s"
    assert "Source:" not in data.decode("utf-8")


def test_the_data_package_describes_fields_sources_and_licence():
    df = pd.DataFrame(
        {
            "id": ["z1", "z2"],
            "year": pd.array([2001, None], dtype="Int64"),
            "lat": [31.2, 22.5],
            "source": [
                "000_84dd9b47cfbecbda.txt §3.2 | Page (https://a.example/p)",
                "000_84dd9b47cfbecbda.txt §4",
            ],
        }
    )
    z = zipfile.ZipFile(io.BytesIO(X.data_package_zip(df, "My Zones!", "My zones", "the zones")))
    package = json.loads(z.read("datapackage.json"))
    resource = package["resources"][0]
    assert re.fullmatch(r"[-a-z0-9._/]+", package["name"]) and package["title"] == "My zones"
    assert package["profile"] == "tabular-data-package" and resource["profile"] == "tabular-data-resource"
    assert resource["path"] in z.namelist()
    assert {f["name"]: f["type"] for f in resource["schema"]["fields"]} == {
        "id": "string",
        "year": "integer",
        "lat": "number",
        "source": "string",
        "source_file": "string",
    }
    titles = [s["title"] for s in package["sources"]]
    assert titles[0] == "ECCP Preparatory Briefing on China (2019 update) (000_84dd9b47cfbecbda.txt)"
    assert len(titles) == 2 and package["sources"][1]["path"] == "https://a.example/p"
    assert "no licence" in package["description"]  # said, not invented
    pd.testing.assert_frame_equal(read(z.read(resource["path"])), read(X.csv_bytes(df)))


def test_bundled_boundaries_carry_their_licence_and_typed_fields():
    package = json.loads(
        zipfile.ZipFile(io.BytesIO(X.dataset_package(X.BY_KEY["division_seats"]))).read("datapackage.json")
    )
    assert package["licenses"][0]["name"] == "MIT"
    types = {f["name"]: f["type"] for f in package["resources"][0]["schema"]["fields"]}
    assert types["lat"] == types["lon"] == "number"
    clusters = json.loads(
        zipfile.ZipFile(io.BytesIO(X.dataset_package(X.BY_KEY["industrial_clusters"]))).read("datapackage.json")
    )
    types = {f["name"]: f["type"] for f in clusters["resources"][0]["schema"]["fields"]}
    assert types["table_row"] == "integer" and types["place_printed_blank"] == "boolean"


@pytest.mark.parametrize("ds", [d for d in X.DATASETS], ids=lambda d: d.key)
def test_typed_fields_of_every_dataset_parse_as_their_type(ds):
    """A user's Frictionless tool must be able to read every value as the type declared."""
    package = json.loads(zipfile.ZipFile(io.BytesIO(X.dataset_package(ds))).read("datapackage.json"))
    rows = read(X.dataset_csv(ds))
    for f in package["resources"][0]["schema"]["fields"]:
        values = [v for v in rows[f["name"]] if v != ""]
        if f["type"] == "integer":
            assert all(re.fullmatch(r"-?\d+", v) for v in values), f["name"]
        elif f["type"] == "number":
            assert all(re.fullmatch(r"-?\d+(\.\d+)?", v) for v in values), f["name"]
        elif f["type"] == "boolean":
            assert set(values) <= {"true", "false"}, f["name"]


def test_every_csv_download_in_the_app_goes_through_the_one_writer():
    """No page or component writes a CSV of its own: every download_button gets its bytes from
    atlas/exports.py (or is a PDF / Markdown / GeoJSON document)."""
    offenders = []
    for path in [
        *ROOT.glob("pages/*.py"),
        *ROOT.glob("components/*.py"),
        ROOT / "app.py",
    ]:
        text = path.read_text(encoding="utf-8")
        if ".to_csv(" in text or "csv.writer(" in text:
            offenders.append(path.name)
        for call in re.findall(r"download_button\((.*?)\)\n", text, flags=re.S):
            if 'mime="text/csv"' in call and "csv_bytes" not in call and "dataset_csv" not in call:
                offenders.append(path.name)
    assert not offenders
