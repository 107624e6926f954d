"""A deliberately broken copy of a data file is rejected with file, row and field named."""

import csv
import shutil

import pytest

from atlas.load import load_atlas
from atlas.paths import DATA_DIR, GEO_DIR
from atlas.validate import DataFileError


@pytest.fixture()
def data_copy(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target, ignore=shutil.ignore_patterns("geo"))
    return target


def _edit(
    path,
    row: int,
    field: str,
    value: str | None = None,
    drop_column: str | None = None,
    duplicate_row_of: int | None = None,
):
    rows = list(csv.DictReader(open(path, encoding="utf-8")))
    fields = list(rows[0].keys())
    if drop_column:
        fields.remove(drop_column)
        for r in rows:
            r.pop(drop_column)
    if value is not None:
        rows[row - 1][field] = value
    if duplicate_row_of is not None:
        rows[row - 1][field] = rows[duplicate_row_of - 1][field]
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=fields)
        w.writeheader()
        w.writerows(rows)


def _load(data_dir):
    return load_atlas(data_dir=data_dir, geo_dir=GEO_DIR)


def test_the_real_files_load(atlas):
    assert len(atlas.clusters) == 100


CASES = [
    # file, how it is broken, expected row text, expected field
    ("industrial_clusters.csv", dict(drop_column="adcode"), "header", "adcode"),
    ("industrial_clusters.csv", dict(row=7, field="adcode", value="999999"), "row 7", "adcode"),
    ("industrial_clusters.csv", dict(row=12, field="lon", value="2.35"), "row 12", "lon"),
    ("industrial_clusters.csv", dict(row=5, field="id", duplicate_row_of=4), "row 5", "id"),
    ("industrial_clusters.csv", dict(row=3, field="sector", value="textiles"), "row 3", "sector"),
    ("zones.csv", dict(drop_column="source"), "header", "source"),
    ("zones.csv", dict(row=2, field="adcode", value="12345"), "row 2", "adcode"),
    ("zones.csv", dict(row=9, field="lat", value="-33.87"), "row 9", "lat"),
    ("zones.csv", dict(row=9, field="lon", value="126.98"), "row 9", "lon"),  # with lat 30.5: the sea off Korea
    ("zones.csv", dict(row=3, field="id", duplicate_row_of=1), "row 3", "id"),
    ("city_clusters.csv", dict(row=4, field="id", duplicate_row_of=2), "row 4", "id"),
    ("city_cluster_members.csv", dict(row=10, field="adcode", value="000000"), "row 10", "adcode"),
    ("city_cluster_members.csv", dict(row=1, field="cluster_id", value="cc_atlantis"), "row 1", "cluster_id"),
    ("cooperation/events.csv", dict(row=1, field="lon", value="-3.7"), "row 1", "lon"),
    ("cooperation/events.csv", dict(row=2, field="id", duplicate_row_of=1), "row 2", "id"),
    ("cooperation/organisations.csv", dict(row=4, field="adcode", value="abcdef"), "row 4", "adcode"),
    ("cooperation/partnerships.csv", dict(row=2, field="source", value="my notes"), "row 2", "source"),
    ("cooperation/projects.csv", dict(row=3, field="start_year", value="twenty"), "row 3", "start_year"),
    ("facts/sector_figures.csv", dict(drop_column="value_text"), "header", "value_text"),
    ("policy_maturity.csv", dict(row=1, field="score", value="high"), "row 1", "score"),
    ("sectors.csv", dict(row=1, field="colour", value="blue"), "row 1", "colour"),
]


@pytest.mark.parametrize("name,change,where,field", CASES, ids=[f"{c[0]}:{c[3]}:{c[2]}" for c in CASES])
def test_broken_copy_is_rejected_naming_file_row_and_field(data_copy, name, change, where, field):
    _edit(data_copy / name, **({"row": 1, "field": field} | change))
    with pytest.raises(DataFileError) as err:
        _load(data_copy)
    message = str(err.value)
    assert name in message and where in message and f"'{field}'" in message


def test_unreadable_csv_is_reported(data_copy):
    (data_copy / "zones.csv").write_bytes("id,name\n\xff\xfe".encode("latin-1"))
    with pytest.raises(DataFileError, match="zones.csv.*UTF-8"):
        _load(data_copy)


def test_ragged_csv_row_is_reported(data_copy):
    path = data_copy / "cooperation/projects.csv"
    text = path.read_text(encoding="utf-8").splitlines()
    text[2] = text[2] + ",extra,cells"
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"projects.csv, row 2.*cells"):
        _load(data_copy)


def test_malformed_yaml_is_reported(data_copy):
    path = data_copy / "policies.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n- id: [unclosed\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="policies.yaml, line"):
        _load(data_copy)


def test_policy_without_source_is_rejected(data_copy):
    import yaml

    path = data_copy / "policies.yaml"
    records = yaml.safe_load(path.read_text(encoding="utf-8"))
    records[5]["source"] = ""
    path.write_text(yaml.safe_dump(records, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DataFileError, match=r"policies.yaml, row 6, field 'source'"):
        _load(data_copy)


def test_missing_file_is_reported(data_copy):
    (data_copy / "cooperation" / "events.csv").unlink()
    with pytest.raises(DataFileError, match="events.csv.*missing"):
        _load(data_copy)
