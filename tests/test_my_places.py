"""My places: malformed files are reported row by row and the good rows survive; encodings, limits,
markup in names and place names in pinyin or Chinese; plus the page under AppTest with pasted rows."""

import html
from pathlib import Path

import pytest
from app_pages import app_test

from atlas.uploads import MAX_BYTES, MAX_ROWS, read_text, read_upload, resolve
from geo.boundaries import load_seats

PAGE = str(Path(__file__).resolve().parents[1] / "pages" / "9_My_places.py")
MARKUP = "<img src=x onerror=alert(1)>"


def seat(name_zh: str, province_zh: str = "") -> dict:
    s = load_seats()
    hit = s[
        (s["name_zh"] == name_zh)
        & (s["level"] != "former_county")
        & ((s["province_zh"] == province_zh) if province_zh else True)
    ]
    return hit.sort_values("level", key=lambda c: c.map({"province": 0, "prefecture": 1, "county": 2})).iloc[0]


def messages(upload) -> dict[int, str]:
    return {i.row: i.message for i in upload.issues if i.level == "error"}


BAD_FILE = "\n".join(
    [
        "name,place,lat,lon",  # row 1
        "Partner A,Huadu,,",  # 2 good (pinyin)
        "Partner B,Atlantis,,",  # 3 unknown place
        "Partner C,Suzhou,,",  # 4 ambiguous (苏州 / 宿州)
        ",Guangzhou,,",  # 5 missing name
        "Partner D,,48.8566,2.3522",  # 6 outside China (Paris)
        "Partner E,,31.23,",  # 7 latitude without longitude
        "Partner F,,north,121.47",  # 8 not a number
        "Partner G,,31.2304,121.4737",  # 9 good (coordinates)
        "Partner H,花都区,,",  # 10 good (Chinese)
        "Partner I,,113.26,23.13",  # 11 swapped
        "Partner J,,,",  # 12 no place at all
    ]
)


def test_each_bad_row_is_reported_with_its_row_number_and_good_rows_survive():
    upload = read_text(BAD_FILE)
    assert not upload.refused and upload.rows == 11
    assert [p.row for p in upload.places] == [2, 9, 10]
    bad = messages(upload)
    assert sorted(bad) == [3, 4, 5, 6, 7, 8, 11, 12]
    assert "Unknown place “Atlantis”" in bad[3]
    assert "Ambiguous" in bad[4] and "苏州市" in bad[4] and "宿州市" in bad[4]
    assert "name is missing" in bad[5]
    assert "outside China" in bad[6]
    assert "together" in bad[7]
    assert "Not a number" in bad[8] and "north" in bad[8]
    assert "swapped" in bad[11]
    assert "no place" in bad[12]


def test_pinyin_and_chinese_names_find_the_same_seat():
    huadu = seat("花都区")
    places = read_text("name,place\nA,Huadu\nB,花都区\nC,Huadu District\nD,广东省广州市花都区\nE,花都區").places
    assert len(places) == 5 and {p.adcode for p in places} == {huadu["adcode"]}
    assert (places[0].lat, places[0].lon) == (float(huadu["lat"]), float(huadu["lon"]))
    assert resolve("广州").seats[0]["adcode"] == resolve("Guangzhou").seats[0]["adcode"] == seat("广州市")["adcode"]


def test_an_ambiguous_name_can_be_narrowed_by_province_or_city():
    assert resolve("Suzhou").status == "ambiguous"
    assert resolve("Suzhou, Anhui").seats[0]["adcode"] == seat("宿州市")["adcode"]
    beijing = resolve("Chaoyang, Beijing")
    assert beijing.status == "ok" and beijing.seats[0]["adcode"] == seat("朝阳区", "北京市")["adcode"]
    assert resolve("朝阳区（长春）").seats[0]["prefecture_zh"] == "长春市"
    assert resolve("Jilin City").seats[0]["adcode"] == seat("吉林市")["adcode"]


def test_rows_kept_with_a_note_say_what_to_check():
    upload = read_text("name,place,lat,lon\nA,Xi'an,,\nB,永年区,,\nC,Huadu,31.2304,121.4737\n")
    assert [p.row for p in upload.places] == [2, 3, 4]
    notes = {i.row: i.message for i in upload.issues if i.level == "warning"}
    assert "西安市" in notes[2] and "西安区" in notes[2]  # the city, and the districts it could also be
    s = load_seats()
    former = s[(s["name_zh"] == "永年县") & (s["level"] == "former_county")].iloc[0]
    assert "former 永年县" in notes[3] and (upload.places[1].lat, upload.places[1].lon) == (
        float(former["lat"]),
        float(former["lon"]),
    )
    assert "km from" in notes[4] and upload.places[2].located == "coordinates as given"


def test_markup_in_names_stays_text_and_is_escaped_on_the_map():
    from components.upload_views import places_layer

    upload = read_text(f"name,place\n{MARKUP},Huadu\n")
    assert upload.places[0].name == MARKUP  # kept as typed, shown as text
    layer = places_layer(upload).group()
    labels = [
        f["properties"]["label"] for c in layer._children.values() if hasattr(c, "data") for f in c.data["features"]
    ]
    assert labels == [html.escape(f"{MARKUP} · Huadu")]
    props = [f["properties"] for c in layer._children.values() if hasattr(c, "data") for f in c.data["features"]]
    assert all(MARKUP not in str(v) for p in props for v in p.values())


@pytest.mark.parametrize(
    "encoding, label", [("utf-8", "UTF-8"), ("utf-8-sig", "UTF-8 with BOM"), ("gb18030", "GB18030")]
)
def test_utf8_bom_and_gb18030_files_are_read_and_say_which(encoding, label):
    upload = read_upload("名称,地点\n华南伙伴,花都区\n北京办事处,北京\n".encode(encoding))
    assert upload.encoding == label
    assert [p.name for p in upload.places] == ["华南伙伴", "北京办事处"]
    assert any(label in i.message for i in upload.issues if i.level == "info")


def test_utf16_with_its_bom_is_read_and_a_spreadsheet_file_is_refused_with_what_to_do():
    assert [p.name for p in read_upload("name,place\nA,Huadu\n".encode("utf-16")).places] == ["A"]
    for magic in (b"PK\x03\x04\x14\x00\x06\x00", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):  # .xlsx, .xls
        upload = read_upload(magic + b"\x00" * 64)
        assert upload.refused and not upload.places
        assert "spreadsheet file" in upload.issues[0].message and "CSV UTF-8" in upload.issues[0].message
    binary = read_upload(bytes(range(256)) * 4)
    assert binary.refused and "CSV UTF-8" in binary.issues[0].message


@pytest.mark.parametrize(
    "text, codec", [("Zürich office", "latin-1"), ("Crème Brûlée à Lyon", "cp1252"), ("Müller GmbH, Straße", "latin-1")]
)
def test_a_western_european_legacy_encoding_is_detected_not_misread_as_chinese(text, codec):
    upload = read_upload(f'name,place\n"{text}",Huadu\n'.encode(codec))
    assert [p.name for p in upload.places] == [text]
    assert upload.encoding == "Windows-1252 (Western European)"
    info = next(i.message for i in upload.issues if i.level == "info")
    assert "Windows-1252" in info and "CSV UTF-8" in info  # says how it was read and what to do if wrong


def test_traditional_chinese_in_big5_is_read():
    upload = read_upload("名稱,地點\n華南夥伴,花都區\n".encode("big5"))
    assert upload.encoding == "Big5" and [p.name for p in upload.places] == ["華南夥伴"]


@pytest.mark.parametrize("newline", ["\r", "\r\n", "\n"])
def test_old_mac_windows_and_unix_line_endings_read_the_same(newline):
    text = newline.join(["name,place", "A,Huadu", "B,广州", 'C,"Hua\rdu"', ""])
    upload = read_text(text)
    assert not upload.refused and [p.row for p in upload.places] == [2, 3, 4]
    assert not upload.errors


def test_a_bare_cr_inside_a_quoted_cell_is_read_as_part_of_the_cell():
    upload = read_text('name,place,note\n"Partner\rA",Huadu,"line one\rline two"\nB,广州,\n')
    assert [p.row for p in upload.places] == [2, 3] and not upload.errors
    assert upload.places[0].name == "Partner A" and upload.places[0].note == "line one line two"


def test_an_unterminated_quote_is_reported_with_its_row_and_the_rows_before_it_are_kept():
    upload = read_text('name,place\nA,Huadu\nB,"Guangzhou\nC,Shanghai\nD,Beijing\n')
    assert [p.row for p in upload.places] == [2]
    bad = messages(upload)
    assert list(bad) == [3]
    assert "never closed" in bad[3] and "2 line(s) after it" in bad[3]


def test_a_header_without_a_name_column_says_so_and_lists_the_columns_it_found():
    upload = read_text("company_name,city\nACME,Huadu\n")
    assert upload.refused and not upload.places
    message = upload.issues[0].message
    assert message.startswith("No name column") and "“company_name”, “city”" in message
    assert "row" not in message.lower().split("column")[0]  # not "row 1 unknown place"


def test_an_oversize_file_is_refused():
    upload = read_upload(b"name,place\n" + b"A,Huadu\n" * (MAX_BYTES // 8 + 1))
    assert upload.refused and not upload.places and "limit" in upload.issues[0].message


def test_too_many_rows_are_refused_but_the_limit_itself_is_fine():
    rows = "".join(f"P{i},,31.23,121.47\n" for i in range(MAX_ROWS))
    ok = read_text("name,place,lat,lon\n" + rows)
    assert not ok.refused and len(ok.places) == MAX_ROWS
    over = read_text("name,place,lat,lon\n" + rows + "One more,,31.23,121.47\n")
    assert over.refused and not over.places
    assert f"{MAX_ROWS + 1:,}" in over.issues[0].message and f"{MAX_ROWS:,}" in over.issues[0].message


def test_rows_without_a_header_semicolons_and_decimal_commas_are_read():
    plain = read_text("Partner,Huadu\nOffice,广州\n")
    assert [p.row for p in plain.places] == [1, 2]
    assert any("No header row" in i.message for i in plain.issues)
    european = read_text("name;lat;lon\nSite;31,2304;121,4737\n")
    assert (european.places[0].lat, european.places[0].lon) == (31.2304, 121.4737)


def test_a_file_without_a_name_column_is_refused_with_the_expected_header():
    upload = read_text("city,lat,lon\nHuadu,23.4,113.2\n")
    assert upload.refused and upload.issues[0].message.startswith("No name column")


# --- the page ---------------------------------------------------------------------------------------


def test_the_page_places_pasted_rows_and_reports_the_bad_ones():
    at = app_test(PAGE)
    at.run()
    assert not at.exception
    assert at.title[0].value == "My places on the map"
    pasted = "\n".join(
        ["name,place,lat,lon", f"{MARKUP},Huadu,,", "Nowhere,Atlantis,,", "Shanghai site,,31.2304,121.4737"]
    )
    at.text_area(key="mp_paste").input(pasted).run()
    assert not at.exception
    assert any("Read 3 rows" in w.value and "2 on the map" in w.value and "1 left out" in w.value for w in at.warning)
    problems = next(d.value for d in at.dataframe if "problem" in d.value.columns)
    assert problems["row"].tolist() == [3] and "Atlantis" in problems["problem"].iloc[0]
    placed = next(d.value for d in at.dataframe if "located" in d.value.columns)
    assert placed["row"].tolist() == [2, 4]
    assert placed["name"].iloc[0] == MARKUP  # a dataframe cell: shown as text
    assert "Map: 2 of your places" in [s.value for s in at.subheader]
    texts = [m.value for m in at.markdown] + [w.value for w in at.warning] + [c.value for c in at.caption]
    assert all("<img" not in t for t in texts)


def _texts(at) -> list[str]:
    return (
        [m.value for m in at.markdown]
        + [w.value for w in at.warning]
        + [c.value for c in at.caption]
        + [e.value for e in at.error]
        + [s.value for s in at.success]
    )


def test_a_rejected_file_clears_the_previous_files_report(tmp_path):
    at = app_test(PAGE)
    at.run()
    at.file_uploader(key="mp_file").set_value(("good.csv", b"name,place\nA,Huadu\nB,Atlantis\n", "text/csv"))
    at.run()
    assert not at.exception
    assert any("Read 2 rows from the file good.csv" in w.value for w in at.warning)
    assert {"problem"} <= set(next(d.value for d in at.dataframe if "problem" in d.value.columns).columns)
    at.file_uploader(key="mp_file").set_value(("sheet.csv", b"PK\x03\x04" + b"\x00" * 64, "text/csv"))
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] and "spreadsheet file" in at.error[0].value
    texts = _texts(at)
    assert not any("good.csv" in t or "Read 2 rows" in t for t in texts)
    assert not [d for d in at.dataframe if "problem" in d.value.columns or "located" in d.value.columns]
    assert "Map: 0 of your places" in [s.value for s in at.subheader]


def test_the_no_name_column_message_shows_the_found_columns_escaped():
    at = app_test(PAGE)
    at.run()
    at.text_area(key="mp_paste").input("[a](//e.io),<b>x</b>,city\nACME,,Huadu\n").run()
    assert not at.exception
    message = at.error[0].value
    assert message.startswith("No name column")
    assert "\\[a\\](//e.io)" in message and "\\<b\\>x\\</b\\>" in message  # shown as typed, not a link


def in_order(node) -> list:
    """The page's elements in the order they are drawn (blocks opened)."""
    children = getattr(node, "children", None)
    if children is None:
        return [node]
    return [e for key in sorted(children) for e in in_order(children[key])]


def test_the_page_says_what_happens_to_the_private_download():
    """Measured (scripts/measure_download_privacy.py, the numbers are in the page's comment): the file is
    made on the click and its media link opens without the session, after the tab closes, until two more
    page runs; the caption right under the buttons says so."""
    at = app_test(PAGE)
    at.run()
    at.text_area(key="mp_paste").input("name,place\nA,Huadu\n").run()
    assert not at.exception
    elements = in_order(at.main)
    keys = [getattr(e, "key", None) for e in elements]
    assert {"dl_myplaces", "dl_myplaces_pkg"} <= set(keys)
    after = elements[keys.index("dl_myplaces_pkg") + 1]
    assert after.type == "caption" and after.value.startswith("About the download")
    for measured in ("made when you click", "without your session", "after you close the tab", "two more page runs"):
        assert measured in after.value, measured
    assert len(after.value) < 300  # one short caption
    assert "a CSV you download is the exception" in " ".join(c.value for c in at.caption)
